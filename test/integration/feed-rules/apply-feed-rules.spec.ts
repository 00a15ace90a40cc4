import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Logger } from '@nestjs/common';
import { FeedSource } from '@bousai/domain';
import { defaultFeedRules, type FeedMessage, type JmaMessage, parseFeedDocument } from '@bousai/feeds';
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

const FIXTURES = path.resolve(__dirname, '../../fixtures/feeds/jmaxml');
const raw = (file: string) => readFileSync(path.join(FIXTURES, file));
const jma = (file: string) => parseFeedDocument(raw(file)) as JmaMessage;

interface Codes {
  city?: string[];
  quake?: string[];
  tsunami?: string[];
  eew?: string[];
}

describe(ApplyFeedRulesUseCase.name, () => {
  let db: TestDatabase;
  let sut: ApplyFeedRulesUseCase;
  let rules: FeedRuleRepository;

  beforeAll(() => Logger.overrideLogger(false));

  beforeEach(async () => {
    db = await createTestDatabase();
    rules = new FeedRuleRepository(db.dataSource);
    const alerts = new AlertRepository(db.dataSource);
    const tx = new TransactionRunner(db.dataSource);
    sut = new ApplyFeedRulesUseCase(
      new FeedEventRepository(db.dataSource),
      rules,
      alerts,
      tx,
      new AlertLifecycle(tx, alerts, new OutboxWriter()),
      new FeedEvacuationDrafts(
        new EvacuationOrderRepository(db.dataSource),
        new EvacuationProposalRepository(db.dataSource),
      ),
      new AuditRepository(db.dataSource),
    );
  });

  afterEach(async () => {
    await db.drop();
  });

  async function municipality(code: string, name: string, c: Codes): Promise<string> {
    const [row] = await db.dataSource.query(
      `INSERT INTO municipality (code, name, jma_city_codes, jma_quake_area_codes, jma_tsunami_area_codes, jma_eew_area_codes)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [code, name, c.city ?? [], c.quake ?? [], c.tsunami ?? [], c.eew ?? []],
    );
    return row.id;
  }
  const yasugi = () =>
    municipality('322067', '安来市', { city: ['3220600'], quake: ['570'], tsunami: ['550'], eew: ['570'] });

  const alertsOf = (municipalityId: string) =>
    db.dataSource.query(
      `SELECT id, status, severity, template_key AS "templateKey", texts, targeting, is_drill AS "isDrill",
              safety_request AS "safetyRequest", event_id AS "eventId", supersedes_alert_id AS "supersedesId",
              created_by AS "createdBy"
         FROM alert WHERE municipality_id = $1 ORDER BY created_at`,
      [municipalityId],
    );
  const outbox = (alertId: string) =>
    db.dataSource
      .query(`SELECT topic FROM outbox WHERE payload->>'alertId' = $1 ORDER BY id`, [alertId])
      .then((rows: { topic: string }[]) => rows.map((r) => r.topic));

  /** A later report of the same event: next serial, later time, facts changed by `edit`. */
  function later(msg: JmaMessage, minutes: number, edit: (m: JmaMessage) => void = () => {}): JmaMessage {
    const next = structuredClone(msg);
    const t = new Date(Date.parse(msg.head.reportDateTime ?? '') + minutes * 60_000).toISOString();
    next.head.reportDateTime = t;
    next.control.dateTime = t;
    if (next.head.serial) next.head.serial = String(Number(next.head.serial) + 1);
    edit(next);
    return next;
  }

  it('VPWW54 Shimane: 浜田市 gets the 大雨特別警報 sent at once and the 洪水警報 for approval; 安来市 (注意報 only) nothing', async () => {
    const hamada = await municipality('322024', '浜田市', { city: ['3220200'] });
    const yasugiId = await yasugi();
    const documents = new FeedDocumentRepository(db.dataSource);
    const body = raw('weather/vpww54_shimane_20160212_heavy-rain-special-warning.xml');
    const stored = await documents.storeRaw({ source: FeedSource.JmaPull, body });

    const outcome = await sut.execute(stored.documentId, parseFeedDocument(body));

    expect(outcome.revision).toBe('new');
    const [special, warning] = await alertsOf(hamada);
    expect(special).toMatchObject({
      status: 'dispatching',
      severity: 'extreme',
      templateKey: 'feed_weather_warning',
      targeting: { all: true },
      isDrill: false,
      safetyRequest: true,
      createdBy: null,
    });
    expect(special.texts.ja.title).toBe('【気象庁発表】浜田市 大雨特別警報');
    expect(await outbox(special.id)).toEqual(['alert.plan']);
    expect(warning).toMatchObject({ status: 'pending_approval', severity: 'severe' });
    expect(warning.texts.ja.title).toBe('【気象庁発表】浜田市 洪水警報');
    expect(await outbox(warning.id)).toEqual([]);
    expect(await alertsOf(yasugiId)).toEqual([]);

    const [doc] = await db.dataSource.query(`SELECT event_id AS "eventId" FROM feed_document WHERE id = $1`, [
      stored.documentId,
    ]);
    expect(doc.eventId).toBe(special.eventId);
    // the defaults were written for both municipalities on first use
    expect((await rules.list(yasugiId)).map((r) => r.rule.id)).toEqual(defaultFeedRules().map((r) => r.id));
  });

  it('VPWW55 (R06) Shimane: 安来市 gets its レベル３大雨警報 for approval, once', async () => {
    const yasugiId = await yasugi();
    const msg = jma('weather/vpww55_shimane_20241102_r06-heavy-rain.xml');

    await sut.execute(null, msg);
    const again = await sut.execute(null, msg);

    expect(again).toEqual({ revision: 'duplicate', municipalities: [], evacuation: [] });
    const alerts = await alertsOf(yasugiId);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ status: 'pending_approval', severity: 'severe' });
    expect(alerts[0].texts.ja.title).toBe('【気象庁発表】安来市 レベル３大雨警報');
  });

  it('VXSE53: the 取消 cancels the alert the original produced', async () => {
    const oshu = await municipality('032158', '奥州市', { city: ['0321500'], quake: ['213'] });

    await sut.execute(null, jma('earthquake/vxse53_20080614084350_s1_iwate-miyagi_large.xml'));
    const [alert] = await alertsOf(oshu);
    expect(alert).toMatchObject({ status: 'pending_approval', severity: 'extreme', safetyRequest: true });

    const outcome = await sut.execute(null, jma('earthquake/vxse53_20080614084350_s3_cancel.xml'));

    expect(outcome).toEqual({
      revision: 'retraction',
      municipalities: [
        { municipalityId: oshu, actions: [expect.objectContaining({ action: 'cancel', alertId: alert.id })] },
      ],
      evacuation: [],
    });
    expect(await alertsOf(oshu)).toEqual([expect.objectContaining({ id: alert.id, status: 'cancelled' })]);
    const [event] = await db.dataSource.query(`SELECT status, revisions FROM event WHERE id = $1`, [
      alert.eventId,
    ]);
    expect(event).toEqual({ status: 'cancelled', revisions: 2 });
  });

  it('EEW: the warning is sent without approval and its 取消 sends a cancellation', async () => {
    const town = await municipality('382000', '宇和島市', { eew: ['622'] });

    await sut.execute(null, jma('eew/vxse43_20240417231454_s1_bungo-channel.xml'));
    const [alert] = await alertsOf(town);
    expect(alert).toMatchObject({ status: 'dispatching', templateKey: 'feed_eew' });

    await sut.execute(null, jma('eew/vxse43_20240417231454_s2_cancel.xml'));

    expect((await alertsOf(town))[0].status).toBe('cancelled');
    expect(await outbox(alert.id)).toEqual(['alert.plan', 'alert.cancel']);
  });

  it('訓練: a drill telegram makes no real alert; a drill alert only where a rule asks for it', async () => {
    const ibaraki = await municipality('082015', '水戸市', { tsunami: ['300'] });
    const drillTown = await municipality('122017', '千葉市', { tsunami: ['310'] });
    const defaults = defaultFeedRules();
    await rules.replaceAll(
      drillTown,
      defaults.map((r) => (r.id === 'tsunami-warning' ? { ...r, action: { ...r.action, drill: true } } : r)),
      null,
    );

    await sut.execute(null, jma('tsunami/vtse41_20160901071000_major-warning_drill.xml'));

    expect(await alertsOf(ibaraki)).toEqual([]);
    const [drill] = await alertsOf(drillTown);
    expect(drill).toMatchObject({ isDrill: true, status: 'dispatching', targeting: { jmaCodes: ['310'] } });
    expect(drill.texts.ja.title.startsWith('【訓練】')).toBe(true);
  });

  it('suppresses a second alert for the same EventID unless severity rises', async () => {
    const oshu = await municipality('032158', '奥州市', { city: ['0321500'] });
    const s2 = jma('earthquake/vxse53_20080614084350_s1_iwate-miyagi_large.xml');
    const s1 = later(s2, -5, (m) => {
      if (m.body.family === 'earthquake') m.body.cities.find((c) => c.code === '0321500')!.maxInt = '5+';
    });
    s1.head.serial = '1';
    s2.head.serial = '2';

    const outcomes: FeedMessage[] = [s1, s2, later(s2, 5)];
    const actions = [];
    for (const m of outcomes)
      actions.push((await sut.execute(null, m)).municipalities[0]?.actions[0]?.action);

    expect(actions).toEqual(['create', 'create', 'suppress']);
    expect((await alertsOf(oshu)).map((a: { severity: string }) => a.severity)).toEqual([
      'severe',
      'extreme',
    ]);
  });

  it('訂正: a correction of a report whose alert is still awaiting approval replaces it', async () => {
    const oshu = await municipality('032158', '奥州市', { city: ['0321500'] });
    const s1 = jma('earthquake/vxse53_20080614084350_s1_iwate-miyagi_large.xml');
    const corrected = structuredClone(s1);
    corrected.head.infoType = '訂正';
    if (corrected.body.family === 'earthquake')
      corrected.body.cities.find((c) => c.code === '0321500')!.maxInt = '6-';

    await sut.execute(null, s1);
    await sut.execute(null, corrected);

    const [original, replacement] = await alertsOf(oshu);
    expect(original.status).toBe('cancelled');
    expect(replacement).toMatchObject({ status: 'pending_approval', supersedesId: null });
    expect(replacement.texts.ja.title).toBe('【地震情報】奥州市 震度６弱');
  });

  it('訂正: a correction of a report whose alert already went out supersedes it', async () => {
    const town = await municipality('382000', '宇和島市', { eew: ['622'] });
    const s1 = jma('eew/vxse43_20240417231454_s1_bungo-channel.xml');
    const corrected = structuredClone(s1);
    corrected.head.infoType = '訂正';

    await sut.execute(null, s1);
    await sut.execute(null, corrected);

    const [original, correction] = await alertsOf(town);
    expect(original.status).toBe('superseded');
    expect(correction).toMatchObject({ status: 'dispatching', supersedesId: original.id });
    expect(await outbox(correction.id)).toEqual(['alert.plan']);
  });
});
