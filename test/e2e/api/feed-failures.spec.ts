import { FeedSource, Role } from '@bousai/domain';
import { FeedDocumentRepository } from '@bousai/persistence';
import { startApi, type ApiHarness } from '../support/api-harness';

/** Issue 17: `/v1/feed-documents/failures` showed one municipality's relay failures to another's operators. */
describe('GET /v1/feed-documents/failures across municipalities', () => {
  let sut: ApiHarness;
  beforeAll(async () => {
    sut = await startApi();
  });
  afterAll(() => sut.close());

  async function failed(
    body: string,
    doc: { source: FeedSource; municipalityId?: string; entryId?: string },
  ) {
    const documents = sut.app.get(FeedDocumentRepository);
    const { documentId } = await documents.storeRaw({ ...doc, body: Buffer.from(body) });
    await documents.recordFailed(documentId, 'JALERT_SCHEMA_INVALID', 'areaCodes: required');
    return documentId;
  }

  const failuresSeenBy = async (tenant: ApiHarness['tenants'][number]) => {
    const res = await sut.http
      .get('/v1/feed-documents/failures')
      .set('Authorization', `Bearer ${await sut.token(tenant, Role.Admin)}`);
    expect(res.status).toBe(200);
    return (res.body as { id: string }[]).map((f) => f.id);
  };

  it("shows each municipality its own relay failures and the national feeds', not the other's", async () => {
    const [yasugi, matsue] = sut.tenants;
    const ofYasugi = await failed('{"id":"y"}', {
      source: FeedSource.JAlert,
      municipalityId: yasugi.municipalityId,
    });
    const ofMatsue = await failed('{"id":"m"}', {
      source: FeedSource.JAlert,
      municipalityId: matsue.municipalityId,
    });
    const national = await failed('<x', { source: FeedSource.JmaPull, entryId: 'https://jma.example/x.xml' });

    const seenByYasugi = await failuresSeenBy(yasugi);
    expect(seenByYasugi).toEqual(expect.arrayContaining([ofYasugi, national]));
    expect(seenByYasugi).not.toContain(ofMatsue);
    const seenByMatsue = await failuresSeenBy(matsue);
    expect(seenByMatsue).toEqual(expect.arrayContaining([ofMatsue, national]));
    expect(seenByMatsue).not.toContain(ofYasugi);
  });
});
