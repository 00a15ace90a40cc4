import { readFileSync } from 'node:fs';
import { applicationDefault, cert, type Credential } from 'firebase-admin/app';
import { ServiceAccountJwtCredential, type ServiceAccountKey } from './service-account-jwt.credential';

export interface FcmCredentialSettings {
  /** Path of a service-account JSON key file. */
  credentialsFile?: string;
  /** Token endpoint of a local fake; forces the JWT credential of our own (see ServiceAccountJwtCredential). */
  tokenUrl?: string;
  /** Wins over the key file's project_id. */
  projectId?: string;
}

export interface FcmCredential {
  credential: Credential;
  projectId?: string;
}

/**
 * firebase-admin's credentials in production: `cert(file)` for a key file, application default credentials
 * otherwise (workload identity, GOOGLE_APPLICATION_CREDENTIALS). A token URL override switches to our own
 * JWT-bearer credential, which is the only one that can talk to a fake token endpoint.
 */
export function createFcmCredential(settings: FcmCredentialSettings): FcmCredential {
  const key = settings.credentialsFile ? readServiceAccount(settings.credentialsFile) : undefined;
  const projectId = settings.projectId ?? key?.project_id;
  if (settings.tokenUrl) {
    if (!key)
      throw new Error('FCM_TOKEN_URL needs FCM_CREDENTIALS_FILE: the assertion is signed with its key');
    return { credential: new ServiceAccountJwtCredential(key, settings.tokenUrl), projectId };
  }
  // the path form: google-auth-library reads the file itself, with its own validation and no deprecation notice
  const credential = settings.credentialsFile ? cert(settings.credentialsFile) : applicationDefault();
  return { credential, projectId };
}

function readServiceAccount(file: string): ServiceAccountKey {
  const json = JSON.parse(readFileSync(file, 'utf8')) as Partial<ServiceAccountKey>;
  if (typeof json.client_email !== 'string' || typeof json.private_key !== 'string') {
    throw new Error(`${file} is not a service-account key: client_email and private_key are required`);
  }
  return json as ServiceAccountKey;
}
