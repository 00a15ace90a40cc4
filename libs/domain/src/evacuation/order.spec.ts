import { Role } from '../enums';
import { DomainError, ErrorCode } from '../errors';
import { Hazard } from '../hazard';
import { EvacuationLevel } from './levels';
import {
  applyOrderCommand,
  draftOrder,
  type EvacuationOrder,
  inForceByDistrict,
  needsApproval,
  OrderAction,
  type OrderCommand,
  OrderMessageKind,
  OrderStatus,
  singleStepAllowed,
} from './order';

const operator = { id: 'op-1', role: Role.Operator };
const admin = { id: 'ad-1', role: Role.Admin };
const at = new Date('2026-09-01T00:30:00Z');
const ARASHIMA = { code: '04', name: '荒島' };
const YASUGI = { code: '01', name: '安来' };
const HIROSE = { code: '05', name: '広瀬' };

function draft(over: Partial<Parameters<typeof draftOrder>[0]> = {}): EvacuationOrder {
  return draftOrder({
    id: 'ord-1',
    municipalityId: 'mun-1',
    hazard: Hazard.Flood,
    level: EvacuationLevel.EvacuationInstruction,
    wholeMunicipality: false,
    districts: [ARASHIMA, YASUGI],
    createdBy: operator.id,
    ...over,
  });
}

function run(order: EvacuationOrder, ...commands: OrderCommand[]) {
  let current = order;
  const steps = commands.map((command) => {
    const step = applyOrderCommand(current, command, { actor: operator, at });
    current = step.order;
    return step;
  });
  return { order: current, steps };
}

function codeOf(fn: () => unknown): ErrorCode | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e.code;
    throw e;
  }
  return undefined;
}

describe('the evacuation order state machine', () => {
  it('issues a draft: every district hears the issue, history records who and when', () => {
    const { order, steps } = run(draft(), { action: OrderAction.Issue });
    expect(order).toMatchObject({ status: OrderStatus.Issued, issuedAt: at, version: 2 });
    expect(steps[0].message).toEqual({
      kind: OrderMessageKind.Issue,
      hazard: Hazard.Flood,
      level: EvacuationLevel.EvacuationInstruction,
      previousLevel: null,
      wholeMunicipality: false,
      districts: [ARASHIMA, YASUGI],
    });
    expect(steps[0].history).toEqual({
      orderId: 'ord-1',
      version: 2,
      action: OrderAction.Issue,
      at,
      actorId: operator.id,
      fromStatus: OrderStatus.Draft,
      toStatus: OrderStatus.Issued,
      level: EvacuationLevel.EvacuationInstruction,
      previousLevel: null,
      wholeMunicipality: false,
      districtCodes: ['04', '01'],
      changedDistrictCodes: [],
      messageKind: OrderMessageKind.Issue,
      reason: null,
    });
  });

  it('edits a draft silently: level and districts change, nobody hears anything', () => {
    const { order, steps } = run(
      draft(),
      { action: OrderAction.ChangeLevel, level: EvacuationLevel.ElderlyEvacuation },
      { action: OrderAction.AddDistricts, districts: [HIROSE] },
      { action: OrderAction.RemoveDistricts, codes: ['01'] },
    );
    expect(steps.map((s) => s.message)).toEqual([null, null, null]);
    expect(order).toMatchObject({ status: OrderStatus.Draft, level: 3, version: 4 });
    expect(order.districts.map((d) => d.code)).toEqual(['04', '05']);
  });

  it('raises and lowers an issued order: residents hear the new level, the history keeps the old', () => {
    const { steps } = run(
      draft(),
      { action: OrderAction.Issue },
      { action: OrderAction.ChangeLevel, level: EvacuationLevel.EmergencySafety },
      { action: OrderAction.ChangeLevel, level: EvacuationLevel.ElderlyEvacuation },
    );
    expect(steps[1].message).toMatchObject({ kind: OrderMessageKind.Raise, level: 5, previousLevel: 4 });
    expect(steps[2].message).toMatchObject({ kind: OrderMessageKind.Lower, level: 3, previousLevel: 5 });
    expect(steps[2].history).toMatchObject({
      level: 3,
      previousLevel: 5,
      messageKind: OrderMessageKind.Lower,
    });
  });

  it('addresses only the added districts on extend, and only the removed ones (with a lift) on shrink', () => {
    const { order, steps } = run(
      draft(),
      { action: OrderAction.Issue },
      { action: OrderAction.AddDistricts, districts: [HIROSE] },
      { action: OrderAction.RemoveDistricts, codes: ['04'] },
    );
    expect(steps[1].message).toMatchObject({ kind: OrderMessageKind.Extend, districts: [HIROSE] });
    expect(steps[1].history.changedDistrictCodes).toEqual(['05']);
    expect(steps[2].message).toMatchObject({ kind: OrderMessageKind.Shrink, districts: [ARASHIMA] });
    expect(order.districts).toEqual([YASUGI, HIROSE]);
  });

  it('lifts (解除) and retracts (取消) issued orders as different, final steps', () => {
    const lifted = run(draft(), { action: OrderAction.Issue }, { action: OrderAction.Lift });
    expect(lifted.order).toMatchObject({ status: OrderStatus.Lifted, liftedAt: at, retractedAt: null });
    expect(lifted.steps[1].message).toMatchObject({
      kind: OrderMessageKind.Lift,
      districts: [ARASHIMA, YASUGI],
    });

    const retracted = run(
      draft(),
      { action: OrderAction.Issue },
      { action: OrderAction.Retract, reason: ' wrong district chosen ' },
    );
    expect(retracted.order).toMatchObject({ status: OrderStatus.Retracted, retractedAt: at, liftedAt: null });
    expect(retracted.steps[1].message?.kind).toBe(OrderMessageKind.Retract);
    expect(retracted.steps[1].history.reason).toBe('wrong district chosen');

    for (const closed of [lifted.order, retracted.order]) {
      for (const command of [
        { action: OrderAction.Lift },
        { action: OrderAction.Retract, reason: 'x' },
        { action: OrderAction.ChangeLevel, level: EvacuationLevel.EmergencySafety },
        { action: OrderAction.AddDistricts, districts: [HIROSE] },
        { action: OrderAction.Issue },
      ] as OrderCommand[]) {
        expect(codeOf(() => applyOrderCommand(closed, command, { actor: operator, at }))).toBe(
          ErrorCode.IllegalTransition,
        );
      }
    }
  });

  it('refuses steps that make no sense, naming the reason', () => {
    const issued = run(draft(), { action: OrderAction.Issue }).order;
    const cases: [EvacuationOrder, OrderCommand, ErrorCode][] = [
      [issued, { action: OrderAction.Issue }, ErrorCode.IllegalTransition],
      [issued, { action: OrderAction.Discard }, ErrorCode.IllegalTransition],
      [issued, { action: OrderAction.ChangeLevel, level: 4 }, ErrorCode.IllegalTransition],
      [issued, { action: OrderAction.RemoveDistricts, codes: ['04', '01'] }, ErrorCode.IllegalTransition],
      [issued, { action: OrderAction.AddDistricts, districts: [ARASHIMA] }, ErrorCode.ValidationFailed],
      [issued, { action: OrderAction.RemoveDistricts, codes: ['99'] }, ErrorCode.ValidationFailed],
      [issued, { action: OrderAction.Retract, reason: '  ' }, ErrorCode.ValidationFailed],
      [issued, { action: OrderAction.ChangeLevel, level: 2 as EvacuationLevel }, ErrorCode.ValidationFailed],
      [draft(), { action: OrderAction.Lift }, ErrorCode.IllegalTransition],
      [draft(), { action: OrderAction.Retract, reason: 'mistake' }, ErrorCode.IllegalTransition],
      [draft({ districts: [] }), { action: OrderAction.Issue }, ErrorCode.ValidationFailed],
    ];
    for (const [order, command, code] of cases) {
      expect([command, codeOf(() => applyOrderCommand(order, command, { actor: operator, at }))]).toEqual([
        command,
        code,
      ]);
    }
  });

  it('discards a draft without a word to residents', () => {
    const { order, steps } = run(draft(), { action: OrderAction.Discard });
    expect(order.status).toBe(OrderStatus.Discarded);
    expect(steps[0].message).toBeNull();
  });

  it('keeps a municipality-wide order whole: no district edits, lift and retract address everyone', () => {
    const whole = run(draft({ wholeMunicipality: true, districts: [] }), { action: OrderAction.Issue });
    expect(whole.steps[0].message).toMatchObject({ wholeMunicipality: true, districts: [] });
    expect(
      codeOf(() =>
        applyOrderCommand(
          whole.order,
          { action: OrderAction.AddDistricts, districts: [HIROSE] },
          { actor: operator, at },
        ),
      ),
    ).toBe(ErrorCode.IllegalTransition);
    expect(
      codeOf(() =>
        applyOrderCommand(
          whole.order,
          { action: OrderAction.RemoveDistricts, codes: ['04'] },
          { actor: operator, at },
        ),
      ),
    ).toBe(ErrorCode.IllegalTransition);
    const lift = applyOrderCommand(whole.order, { action: OrderAction.Lift }, { actor: operator, at });
    expect(lift.message).toMatchObject({ kind: OrderMessageKind.Lift, wholeMunicipality: true });
  });

  it('refuses bad drafts and viewers', () => {
    expect(codeOf(() => draft({ wholeMunicipality: true }))).toBe(ErrorCode.ValidationFailed);
    expect(codeOf(() => draft({ districts: [ARASHIMA, ARASHIMA] }))).toBe(ErrorCode.ValidationFailed);
    expect(codeOf(() => draft({ level: 2 as EvacuationLevel }))).toBe(ErrorCode.ValidationFailed);
    expect(
      codeOf(() =>
        applyOrderCommand(
          draft(),
          { action: OrderAction.Issue },
          { actor: { id: 'v', role: Role.Viewer }, at },
        ),
      ),
    ).toBe(ErrorCode.Forbidden);
  });
});

describe(needsApproval.name, () => {
  it('lets an admin send a Level 5 warning, or its retraction, single-step', () => {
    for (const kind of [
      OrderMessageKind.Issue,
      OrderMessageKind.Raise,
      OrderMessageKind.Extend,
      OrderMessageKind.Retract,
    ]) {
      expect(singleStepAllowed({ kind, level: EvacuationLevel.EmergencySafety })).toBe(true);
      expect(needsApproval({ kind, level: EvacuationLevel.EmergencySafety }, admin)).toBe(false);
    }
  });

  it('keeps the two-person rule for everyone else and every other step', () => {
    for (const kind of Object.values(OrderMessageKind)) {
      expect(needsApproval({ kind, level: EvacuationLevel.EmergencySafety }, operator)).toBe(true);
      expect(
        needsApproval({ kind, level: EvacuationLevel.EmergencySafety }, { id: 'ap', role: Role.Approver }),
      ).toBe(true);
      expect(needsApproval({ kind, level: EvacuationLevel.EvacuationInstruction }, admin)).toBe(true);
      expect(needsApproval({ kind, level: EvacuationLevel.ElderlyEvacuation }, admin)).toBe(true);
    }
    // lowering to 5 is impossible; lifting a Level 5 is not urgent
    expect(
      needsApproval({ kind: OrderMessageKind.Lift, level: EvacuationLevel.EmergencySafety }, admin),
    ).toBe(true);
    expect(
      needsApproval({ kind: OrderMessageKind.Shrink, level: EvacuationLevel.EmergencySafety }, admin),
    ).toBe(true);
  });
});

describe(inForceByDistrict.name, () => {
  const all = ['01', '04', '05', '06'];

  it('follows raises in one district and lifts in another', () => {
    // landslide Level 3 for 荒島 and 安来; flood Level 4 for 広瀬
    const landslide = run(
      draft({ id: 'L', hazard: Hazard.Landslide, level: 3, districts: [ARASHIMA, YASUGI] }),
      { action: OrderAction.Issue },
    ).order;
    const flood = run(draft({ id: 'F', level: 4, districts: [HIROSE] }), { action: OrderAction.Issue }).order;
    let board = inForceByDistrict([landslide, flood], all);
    expect([...board.keys()].sort()).toEqual(['01', '04', '05']);
    expect(board.get('04')?.level).toBe(3);

    // 安来 is taken out of the landslide order (it hears a lift), the rest is raised to Level 4
    const shrunk = run(
      landslide,
      { action: OrderAction.RemoveDistricts, codes: ['01'] },
      { action: OrderAction.ChangeLevel, level: EvacuationLevel.EvacuationInstruction },
    ).order;
    // 広瀬's flood order is lifted
    const lifted = run(flood, { action: OrderAction.Lift }).order;
    board = inForceByDistrict([shrunk, lifted], all);
    expect([...board.keys()]).toEqual(['04']);
    expect(board.get('04')).toEqual({
      districtCode: '04',
      level: 4,
      orders: [{ orderId: 'L', hazard: Hazard.Landslide, level: 4, issuedAt: at }],
    });
  });

  it('counts a municipality-wide order for every district, highest level first', () => {
    const whole = run(
      draft({ id: 'W', hazard: Hazard.HeavyRain, level: 3, wholeMunicipality: true, districts: [] }),
      {
        action: OrderAction.Issue,
      },
    ).order;
    const local = run(draft({ id: 'F', level: 5, districts: [HIROSE] }), { action: OrderAction.Issue }).order;
    const drafted = draft({ id: 'D', level: 5, districts: [ARASHIMA] });
    const board = inForceByDistrict([whole, local, drafted], all);
    expect([...board.keys()].sort()).toEqual(all);
    expect(board.get('04')?.level).toBe(3);
    expect(board.get('05')?.level).toBe(5);
    expect(board.get('05')?.orders.map((o) => o.orderId)).toEqual(['F', 'W']);
  });
});
