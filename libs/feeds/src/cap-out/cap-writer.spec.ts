import { buildCapAlert, type CapAlertInput } from './cap-writer';

const BASE: CapAlertInput = {
  identifier: 'bousai-2',
  sender: 'bousai.322067',
  senderName: '安来市',
  sent: new Date('2026-06-22T14:00:00Z'),
  status: 'Actual',
  msgType: 'Update',
  references: [{ identifier: 'bousai-1', sent: new Date('2026-06-22T12:00:00Z') }],
  severity: 'minor',
  texts: { ja: { title: '【解除】避難指示（高潮）', body: '解除されました。' } },
  expires: null,
  areaDesc: '安来市 浜',
  geocodes: [{ valueName: 'JMA-CITY', value: '2620200' }],
};

describe('buildCapAlert', () => {
  it('writes an all-clear Update with responseType AllClear and urgency Past', () => {
    const xml = buildCapAlert({ ...BASE, allClear: true });
    expect(xml).toContain('<msgType>Update</msgType>');
    expect(xml).toContain('<responseType>AllClear</responseType>');
    expect(xml).toContain('<urgency>Past</urgency>');
    expect(xml).toContain('<references>bousai.322067,bousai-1,2026-06-22T21:00:00+09:00</references>');
  });

  it('writes an ordinary Update as before: Monitor for a minor one, Evacuate for an extreme one', () => {
    expect(buildCapAlert(BASE)).toContain('<responseType>Monitor</responseType>');
    const extreme = buildCapAlert({ ...BASE, severity: 'extreme' });
    expect(extreme).toContain('<responseType>Evacuate</responseType>');
    expect(extreme).toContain('<urgency>Immediate</urgency>');
  });

  it('writes no responseType on a Cancel', () => {
    const xml = buildCapAlert({ ...BASE, msgType: 'Cancel' });
    expect(xml).not.toContain('<responseType>');
    expect(xml).toContain('<urgency>Past</urgency>');
  });
});
