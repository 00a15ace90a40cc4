import type { FanoutConfig } from '@bousai/config';
import { DeliveryPartitionRepository } from '@bousai/persistence';
import { createTestDatabase, type TestDatabase } from '@bousai/testing';
import { DeliveryPartitionMaintenance } from '../../../apps/fanout/src/partitions/delivery-partition.maintenance';

const monthName = (at: Date, offset: number) => {
  const d = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + offset, 1));
  return `delivery_p${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
};

describe('delivery partition upkeep (fanout)', () => {
  let db: TestDatabase;
  let upkeep: DeliveryPartitionMaintenance;

  beforeAll(async () => {
    db = await createTestDatabase();
    const settings: Pick<
      FanoutConfig,
      'DELIVERY_RETENTION_MONTHS' | 'DELIVERY_PARTITIONS_AHEAD' | 'DELIVERY_PARTITION_INTERVAL_MS'
    > = {
      DELIVERY_RETENTION_MONTHS: 13,
      DELIVERY_PARTITIONS_AHEAD: 2,
      DELIVERY_PARTITION_INTERVAL_MS: 3_600_000,
    };
    upkeep = new DeliveryPartitionMaintenance(
      new DeliveryPartitionRepository(db.dataSource),
      settings as FanoutConfig,
    );
  });
  afterAll(() => db.drop());

  it('creates this month and the ones ahead once, and later drops the months past the retention', async () => {
    const now = new Date();
    expect(await upkeep.run(now)).toEqual({
      created: [0, 1, 2].map((m) => monthName(now, m)),
      dropped: [],
      kept: [],
    });
    expect(await upkeep.run(now)).toEqual({ created: [], dropped: [], kept: [] });

    // sixteen months on: the months up to 13 before then are gone, the rest kept, three new ones ahead
    const later = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 16, 10));
    const report = await upkeep.run(later);
    expect(report?.dropped).toEqual([0, 1, 2].map((m) => monthName(now, m)));
    expect(report?.created[0]).toBe(monthName(now, 3));
    expect(report?.created.at(-1)).toBe(monthName(now, 18));
    expect(await new DeliveryPartitionRepository(db.dataSource).months()).toEqual(
      Array.from({ length: 16 }, (_, i) => monthName(now, 3 + i)),
    );
  });
});
