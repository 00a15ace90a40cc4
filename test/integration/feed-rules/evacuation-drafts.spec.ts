import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Logger } from '@nestjs/common';
import {
  applyOrderCommand,
  draftOrder,
  type EvacuationLevel,
  FeedSource,
  Hazard,
  OrderAction,
  OrderSource,
  Role,
} from '@bousai/domain';
import { type JmaMessage, parseFeedDocument, type WeatherKind } from '@bousai/feeds';
import { AlertLifecycle } from '@bousai/alerts';
import {
  AlertRepository,
  AuditRepository,
  EvacuationOrderRepository,
  EvacuationProposalRepository,
  FeedDocumentRepository,
  FeedEventRepository,
  FeedRuleRepository,
  OutboxWriter,
  TransactionRunner,
} from '@bousai/persistence';
import { createTestDatabase, type TestDatabase } from '@bousai/testing';
import { ApplyFeedRulesUseCase } from '../../../apps/ingest/src/rules/apply-feed-rules.use-case';
import { FeedEvacuationDrafts } from '../../../apps/ingest/src/rules/feed-evacuation-drafts';

/** VPWW57 (R06 format, 京都府): レベル４高潮危険警報 for 2620200 and 2646500, レベル３高潮警報 for 2621200. */
const KYOTO = path.resolve(
  __dirname,
  '../../fixtures/feeds/jmaxml/weather/vpww57_kyoto_20200622_r06-storm-surge.xml',
);

describe('feed telegrams → evacuation order drafts and proposals', () => {
  let db: TestDatabase;
  let sut: ApplyFeedRulesUseCase;
  let orders: EvacuationOrderRepository;
  let proposals: EvacuationProposalRepository;
  let town: string;
  let approver: string;

  beforeAll(() => Logger.overrideLogger(false));

  beforeEach(async () => {
    db = await createTestDatabase();
    const ds = db.dataSource;
    const alerts = new AlertRepository(ds);
    const tx = new TransactionRunner(ds);
    orders = new EvacuationOrderRepository(ds);
    proposals = new EvacuationProposalRepository(ds);
    sut = new ApplyFeedRulesUseCase(
      new FeedEventRepository(ds),
      new FeedRuleRepository(ds),
      alerts,
      tx,
      new AlertLifecycle(tx, alerts, new OutboxWriter()),
      new FeedEvacuationDrafts(orders, proposals),
      new AuditRepository(ds),
    );
    // a (fictional) town covering two of the telegram's 市町村等, with districts in each and one elsewhere
    const [m] = await ds.query(
      `INSERT INTO municipality (code, name, jma_city_codes) VALUES ('262021', '舞鶴市', '{2620200,2621200}')
       RETURNING id`,
    );
    town = m.id;
    for (const [code, name, jma] of [
      ['A1', '浜', '2620200'],
      ['A2', '大波', '2620200'],
      ['B1', '加佐', '2621200'],
      ['C1', '山手', '2610000'],
    ]) {
      await ds.query(
        `INSERT INTO area (municipality_id, code, name, jma_city_code) VALUES ($1, $2, $3, $4)`,
        [town, code, name, jma],
      );
    }
    const [op] = await ds.query(
      `INSERT INTO operator (municipality_id, email, password_hash, role, display_name)
       VALUES ($1, 'approver@maizuru.test', 'x', 'approver', '承認者') RETURNING id`,
      [town],
    );
    approver = op.id;
  });

  afterEach(() => db.drop());

  const telegram = () => parseFeedDocument(readFileSync(KYOTO)) as JmaMessage;

  /** A later report of the same event: next serial, later time, the kinds of `code` changed by `change`. */
  function later(code: string, change: Partial<WeatherKind>, minutes = 30): JmaMessage {
    const next = telegram();
    const t = new Date(Date.parse(next.head.reportDateTime ?? '') + minutes * 60_000).toISOString();
    next.head.reportDateTime = t;
    next.control.dateTime = t;
    if (next.head.serial) next.head.serial = String(Number(next.head.serial) + 1);
    if (next.body.family !== 'weather') throw new Error('not a weather telegram');
    for (const city of next.body.municipalities.filter((c) => c.code === code)) {
      city.kinds = city.kinds.map((k) => ({ ...k, ...change }));
    }
    return next;
  }

  const stored = () =>
    db.dataSource.query<
      {
        id: string;
        status: string;
        level: number;
        hazard: string;
        source: string;
        createdBy: string | null;
        sourceDocumentId: string | null;
        codes: string[];
      }[]
    >(
      `SELECT o.id, o.status, o.level, o.hazard, o.source, o.created_by AS "createdBy",
              o.source_document_id AS "sourceDocumentId",
              ARRAY(SELECT a.code FROM evacuation_order_district d JOIN area a ON a.id = d.area_id
                     WHERE d.order_id = o.id ORDER BY a.code) AS codes
         FROM evacuation_order o WHERE o.municipality_id = $1 ORDER BY o.level DESC, o.created_at`,
      [town],
    );

  /** An order issued by people, through the domain rules and the store. */
  async function issued(
    level: EvacuationLevel,
    districts: { code: string; name: string }[],
  ): Promise<string> {
    const draft = draftOrder({
      id: await orders.nextId(),
      municipalityId: town,
      hazard: Hazard.StormSurge,
      level,
      wholeMunicipality: false,
      districts,
      createdBy: approver,
    });
    await db.dataSource.transaction((em) =>
      orders.insert(em, draft, { source: OrderSource.Operator, sourceDocumentId: null }),
    );
    const step = applyOrderCommand(
      draft,
      { action: OrderAction.Issue },
      {
        actor: { id: approver, role: Role.Approver },
        at: new Date(),
      },
    );
    await db.dataSource.transaction((em) => orders.saveStep(em, step.order, step.history, null));
    return draft.id;
  }

  it('drafts (never issues) one order per level for exactly the districts of the JMA codes; once', async () => {
    const body = readFileSync(KYOTO);
    const doc = await new FeedDocumentRepository(db.dataSource).storeRaw({
      source: FeedSource.JmaPull,
      body,
    });

    const outcome = await sut.execute(doc.documentId, parseFeedDocument(body));

    expect(outcome.evacuation).toEqual([
      {
        municipalityId: town,
        drafts: [
          { orderId: expect.any(String), hazard: 'storm_surge', level: 4, districtCodes: ['A1', 'A2'] },
          { orderId: expect.any(String), hazard: 'storm_surge', level: 3, districtCodes: ['B1'] },
        ],
        proposals: [],
      },
    ]);
    const common = { status: 'draft', hazard: 'storm_surge', source: 'feed', createdBy: null };
    expect(await stored()).toEqual([
      { ...common, id: expect.any(String), level: 4, codes: ['A1', 'A2'], sourceDocumentId: doc.documentId },
      { ...common, id: expect.any(String), level: 3, codes: ['B1'], sourceDocumentId: doc.documentId },
    ]);
    const audit = await db.dataSource.query(
      `SELECT actor_type AS "actorType", action, target_ids AS "targetIds" FROM audit_log
        WHERE municipality_id = $1 ORDER BY id`,
      [town],
    );
    expect(audit).toEqual(
      (await stored()).map((o) => ({
        actorType: 'system',
        action: 'evacuation_order.draft_from_feed',
        targetIds: [o.id],
      })),
    );

    // the same telegram again is a duplicate; a later report still saying the same drafts nothing more
    await sut.execute(doc.documentId, parseFeedDocument(body));
    const next = await sut.execute(null, later('2620200', {}));
    expect(next.evacuation).toEqual([]);
    expect(await stored()).toHaveLength(2);
  });

  it('drafts only at the levels the municipality chose', async () => {
    await db.dataSource.query(`UPDATE municipality SET settings = $2 WHERE id = $1`, [
      town,
      { evacuationDrafts: { levels: [4, 5] } },
    ]);
    await sut.execute(null, telegram());
    expect((await stored()).map((o) => [o.level, o.codes])).toEqual([[4, ['A1', 'A2']]]);
  });

  it('leaves out districts where an order of that hazard at that level or higher is already in force', async () => {
    const inForce = await issued(5, [{ code: 'A1', name: '浜' }]);
    await issued(3, [{ code: 'B1', name: '加佐' }]);

    await sut.execute(null, telegram());

    const drafts = (await stored()).filter((o) => o.status === 'draft');
    expect(drafts.map((o) => [o.level, o.codes])).toEqual([[4, ['A2']]]);
    expect((await stored()).find((o) => o.id === inForce)).toMatchObject({ status: 'issued', codes: ['A1'] });
  });

  it('records lowering and lifting as proposals against the issued orders they concern, and issues nothing', async () => {
    const flood4 = await issued(4, [
      { code: 'A1', name: '浜' },
      { code: 'A2', name: '大波' },
    ]);
    const surge3 = await issued(3, [{ code: 'B1', name: '加佐' }]);
    await sut.execute(null, telegram());

    const lowered = await sut.execute(
      null,
      later('2620200', {
        name: 'レベル３高潮警報',
        code: '08',
        level: 3,
        lastLevel: 4,
        status: '危険警報から警報',
      }),
    );
    expect(lowered.evacuation).toEqual([
      {
        municipalityId: town,
        drafts: [],
        proposals: [{ proposalId: expect.any(String), orderId: flood4, kind: 'lower', level: 3 }],
      },
    ]);

    await sut.execute(null, later('2621200', { status: '解除' }, 60));
    const recorded = await proposals.list(town);
    expect(recorded.map((p) => [p.orderId, p.kind, p.level, p.districtCodes])).toEqual([
      [surge3, 'lift', 3, ['B1']],
      [flood4, 'lower', 3, ['A1', 'A2']],
    ]);
    expect(recorded[0]).toMatchObject({ dismissedBy: null, appliedBy: null });
    // nothing changed on the orders themselves
    expect((await stored()).filter((o) => o.status === 'issued').map((o) => o.level)).toEqual([4, 3]);
  });
});
