import { FeedSource, ParseStatus } from '@bousai/domain';
import { FeedDocumentRepository } from '@bousai/persistence';
import { createTestDatabase, type TestDatabase } from '@bousai/testing';

describe(FeedDocumentRepository.name, () => {
  let db: TestDatabase;
  let sut: FeedDocumentRepository;

  beforeAll(async () => {
    db = await createTestDatabase();
    sut = new FeedDocumentRepository(db.dataSource);
  });

  afterAll(async () => {
    await db.drop();
  });

  it('stores raw bytes once: the same bytes again are a duplicate of the first row', async () => {
    const body = Buffer.from('<Report>one</Report>');
    const first = await sut.storeRaw({ source: FeedSource.JAlert, body, contentType: 'application/xml' });
    expect(first).toMatchObject({ duplicate: false, parseStatus: ParseStatus.Pending });
    await sut.recordParsed(first.documentId, 'earthquake.test', { hello: 'world' });

    const again = await sut.storeRaw({ source: FeedSource.JmaPull, body, entryId: 'https://x/a.xml' });
    expect(again).toEqual({
      documentId: first.documentId,
      sha256: first.sha256,
      duplicate: true,
      parseStatus: ParseStatus.Parsed,
    });
    expect(await sut.findById(first.documentId)).toMatchObject({
      source: 'jalert',
      kind: 'earthquake.test',
      message: { hello: 'world' },
      parseStatus: 'parsed',
    });
  });

  it('treats the same JMA entry id with other bytes as a duplicate too', async () => {
    const entry = { source: FeedSource.JmaPull, entryId: 'https://x/b.xml', feedName: 'eqvol' } as const;
    const first = await sut.storeRaw({
      ...entry,
      body: Buffer.from('<a/>'),
      entryUpdatedAt: new Date('2026-11-24T00:01:00Z'),
    });
    const second = await sut.storeRaw({ ...entry, body: Buffer.from('<b/>') });
    expect(second).toMatchObject({ documentId: first.documentId, duplicate: true });
    expect(await sut.knownEntryIds(FeedSource.JmaPull, ['https://x/b.xml', 'https://x/none.xml'])).toEqual(
      new Set(['https://x/b.xml']),
    );
    expect(await sut.knownEntryIds(FeedSource.JAlert, ['https://x/b.xml'])).toEqual(new Set());
    expect(await sut.newestEntryUpdatedAt('eqvol')).toEqual(new Date('2026-11-24T00:01:00Z'));
    expect(await sut.newestEntryUpdatedAt('extra')).toBeNull();
  });

  it('keeps bytes that are not UTF-8 (or hold NUL) exactly, as base64', async () => {
    const sjis = Buffer.from([0x3c, 0x61, 0x3e, 0x92, 0x6e, 0x90, 0x6b, 0x00, 0x3c, 0x2f, 0x61, 0x3e]);
    const stored = await sut.storeRaw({ source: FeedSource.JAlert, body: sjis });
    const [row] = await db.dataSource.query(`SELECT body_encoding FROM feed_document WHERE id = $1`, [
      stored.documentId,
    ]);
    expect(row.body_encoding).toBe('base64');
    expect((await sut.findById(stored.documentId))?.body.equals(sjis)).toBe(true);
  });

  it('records a parse failure with its code, lists failures and pending documents', async () => {
    const [m] = await db.dataSource.query<{ id: string }[]>(
      `INSERT INTO municipality (code, name) VALUES ('322059', '雲南市') RETURNING id`,
    );
    const failed = await sut.storeRaw({
      source: FeedSource.JAlert,
      body: Buffer.from('<!DOCTYPE x><x/>'),
      municipalityId: m.id,
    });
    await sut.recordFailed(
      failed.documentId,
      'XML_DOCTYPE_FORBIDDEN',
      'DOCTYPE declarations are not accepted',
    );
    const pending = await sut.storeRaw({ source: FeedSource.JAlert, body: Buffer.from('{"pending":true}') });

    expect((await sut.recentFailures(10, m.id)).map((f) => [f.id, f.parseErrorCode])).toEqual([
      [failed.documentId, 'XML_DOCTYPE_FORBIDDEN'],
    ]);
    const ids = await sut.pendingIds(100);
    expect(ids).toContain(pending.documentId);
    expect(ids).not.toContain(failed.documentId);
    expect(await sut.pendingIds(100, 3600)).not.toContain(pending.documentId);
  });

  it("lists a municipality's own relay failures and the national feeds', never another municipality's", async () => {
    const [a, b] = await db.dataSource.query<{ id: string }[]>(
      `INSERT INTO municipality (code, name) VALUES ('322032', '出雲市'), ('322041', '益田市') RETURNING id`,
    );
    const fail = async (doc: Parameters<FeedDocumentRepository['storeRaw']>[0]) => {
      const { documentId } = await sut.storeRaw(doc);
      await sut.recordFailed(documentId, 'XML_MALFORMED', 'not XML');
      return documentId;
    };
    const ofA = await fail({ source: FeedSource.JAlert, body: Buffer.from('<a'), municipalityId: a.id });
    const ofB = await fail({ source: FeedSource.JAlert, body: Buffer.from('<b'), municipalityId: b.id });
    const national = await fail({
      source: FeedSource.JmaPull,
      body: Buffer.from('<n'),
      entryId: 'https://x/n',
    });
    const unattributed = await fail({ source: FeedSource.JAlert, body: Buffer.from('<u') });

    const seenBy = async (id: string) => (await sut.recentFailures(100, id)).map((f) => f.id);
    expect(await seenBy(a.id)).toEqual(expect.arrayContaining([ofA, national]));
    expect(await seenBy(a.id)).not.toEqual(expect.arrayContaining([ofB]));
    expect(await seenBy(b.id)).toEqual(expect.arrayContaining([ofB, national]));
    expect(await seenBy(b.id)).not.toEqual(expect.arrayContaining([ofA]));
    // signed with the installation-wide key while two municipalities are served: nobody's to see
    for (const id of [a.id, b.id]) expect(await seenBy(id)).not.toContain(unattributed);
  });

  it('shows relay failures signed with the installation-wide key where the installation serves one municipality', async () => {
    const own = await createTestDatabase();
    const repo = new FeedDocumentRepository(own.dataSource);
    try {
      const [only] = await own.dataSource.query<{ id: string }[]>(
        `INSERT INTO municipality (code, name) VALUES ('322067', '安来市') RETURNING id`,
      );
      const { documentId } = await repo.storeRaw({ source: FeedSource.JAlert, body: Buffer.from('<u') });
      await repo.recordFailed(documentId, 'XML_MALFORMED', 'not XML');
      expect((await repo.recentFailures(100, only.id)).map((f) => f.id)).toContain(documentId);
    } finally {
      await own.drop();
    }
  });
});
