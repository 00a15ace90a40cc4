import { mergeReports, type ReceiverReport } from './receiver-report.merge';

const t = (s: number) => new Date(Date.UTC(2025, 0, 1, 0, 0, s));

describe(mergeReports.name, () => {
  it('folds repeats of one delivery into one row: the first value of each field, the earliest device receipt', () => {
    const reports: ReceiverReport[] = [
      { kind: 'delivered', endpointId: 'e1', deliveryId: '7', at: t(1), deviceAt: t(5) },
      { kind: 'delivered', endpointId: 'e1', deliveryId: '7', at: t(2), deviceAt: null },
      { kind: 'delivered', endpointId: 'e1', deliveryId: '7', at: t(2), deviceAt: t(0) },
      { kind: 'delivered', endpointId: 'e1', deliveryId: '7', at: t(3), deviceAt: t(9) },
      {
        kind: 'played',
        endpointId: 'e1',
        deliveryId: '7',
        at: t(3),
        startedAt: t(2),
        endedAt: null,
        volume: 80,
      },
      {
        kind: 'played',
        endpointId: 'e1',
        deliveryId: '7',
        at: t(4),
        startedAt: t(5),
        endedAt: t(6),
        volume: 10,
      },
    ];
    const { deliveries } = mergeReports(reports);
    expect(deliveries).toEqual([
      {
        deliveryId: '7',
        endpointId: 'e1',
        ackAt: t(1),
        deviceDeliveredAt: t(0),
        playedAt: t(3),
        devicePlayStartedAt: t(2),
        devicePlayEndedAt: null,
        playVolume: 80,
      },
    ]);
  });

  it('keeps the same delivery id from two endpoints apart (only the owner may move it)', () => {
    const { deliveries } = mergeReports([
      { kind: 'delivered', endpointId: 'e1', deliveryId: '7', at: t(1), deviceAt: null },
      { kind: 'delivered', endpointId: 'e2', deliveryId: '7', at: t(1), deviceAt: null },
    ]);
    expect(deliveries.map((d) => d.endpointId)).toEqual(['e1', 'e2']);
  });

  it('makes every report a proof of life and keeps the latest device state per endpoint', () => {
    const { endpoints } = mergeReports([
      { kind: 'seen', endpointId: 'e1', at: t(1), batteryPercent: 90, signalDbm: -70, firmware: '1.0' },
      { kind: 'delivered', endpointId: 'e1', deliveryId: '7', at: t(5), deviceAt: null },
      { kind: 'seen', endpointId: 'e1', at: t(3), batteryPercent: 85 },
      { kind: 'seen', endpointId: 'e2', at: t(2) },
    ]);
    expect(endpoints).toEqual([
      { endpointId: 'e1', seenAt: t(5), batteryPercent: 85, signalDbm: -70, firmware: '1.0' },
      { endpointId: 'e2', seenAt: t(2), batteryPercent: null, signalDbm: null, firmware: null },
    ]);
  });
});
