import { FeedSource } from '@bousai/domain';
import { FeedDocumentRepository } from '@bousai/persistence';
import type { ApiHarness, Tenant } from '../../e2e/support/api-harness';

/**
 * A Level 3 heavy-rain draft order the feeds proposed for one district, with its stored source document (as the
 * feed worker leaves it; no route creates a feed draft). Answers the order id and the document id.
 */
export async function seedFeedDraft(
  sut: ApiHarness,
  tenant: Tenant,
  districtCode: string,
): Promise<{ orderId: string; documentId: string }> {
  const stored = await sut.app.get(FeedDocumentRepository).storeRaw({
    source: FeedSource.JmaPull,
    body: Buffer.from('<Report>VPWW57</Report>'),
  });
  const q = sut.db.dataSource.query.bind(sut.db.dataSource);
  const [{ id }] = await q<{ id: string }[]>(
    `INSERT INTO evacuation_order (municipality_id, hazard, level, source, source_document_id)
     VALUES ($1, 'heavy_rain', 3, 'feed', $2) RETURNING id`,
    [tenant.municipalityId, stored.documentId],
  );
  await q(
    `INSERT INTO evacuation_order_district (order_id, area_id) SELECT $1, id FROM area WHERE municipality_id = $2 AND code = $3`,
    [id, tenant.municipalityId, districtCode],
  );
  return { orderId: id, documentId: stored.documentId };
}
