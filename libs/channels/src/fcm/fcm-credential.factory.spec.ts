import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFcmCredential } from './fcm-credential.factory';
import { ServiceAccountJwtCredential } from './service-account-jwt.credential';

describe(createFcmCredential.name, () => {
  let dir: string;
  let file: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'bousai-cred-'));
    file = join(dir, 'sa.json');
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(
      file,
      JSON.stringify({
        type: 'service_account',
        project_id: 'bousai-prod',
        client_email: 'sender@bousai-prod.iam.gserviceaccount.com',
        private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }),
      }),
    );
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("uses firebase-admin's cert() for a key file, and the file's project unless one is configured", () => {
    const fromFile = createFcmCredential({ credentialsFile: file });
    expect(fromFile.credential).not.toBeInstanceOf(ServiceAccountJwtCredential);
    expect(fromFile.projectId).toBe('bousai-prod');
    expect(createFcmCredential({ credentialsFile: file, projectId: 'bousai-other' }).projectId).toBe(
      'bousai-other',
    );
  });

  it('falls back to application default credentials without a key file', () => {
    const adc = createFcmCredential({ projectId: 'bousai-prod' });
    expect(typeof adc.credential.getAccessToken).toBe('function');
    expect(adc.projectId).toBe('bousai-prod');
  });

  it('switches to the JWT-bearer credential for a token URL override, which needs the key file', () => {
    const local = createFcmCredential({ credentialsFile: file, tokenUrl: 'http://127.0.0.1:1/token' });
    expect(local.credential).toBeInstanceOf(ServiceAccountJwtCredential);
    expect(() => createFcmCredential({ tokenUrl: 'http://127.0.0.1:1/token' })).toThrow(
      /FCM_CREDENTIALS_FILE/,
    );
  });
});
