// A self-signed certificate for localhost / 127.0.0.1 (P-256, valid for 100 years), so the fake push service can
// speak HTTPS like a real one: web-push's own `sendNotification` only ever uses https. Test material only; clients
// trust it with WEBPUSH_TLS_INSECURE (or `rejectUnauthorized: false`). Inlined rather than read from disk so the
// fake runs unchanged under jest and as its own process.
export const FAKE_TLS_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgpJpfjcw1vMkKqAQM
kR5ZXSJzlTfLa8sb4Y/JSwcskl+hRANCAAQA6voNu4zezIXik1i5L2f2mB9BklV/
WePQ07FsLunsHsmdcm7kS09NcGe5y57BYNj6ztVJf2r5+6QVIkbLnxo1
-----END PRIVATE KEY-----
`;

export const FAKE_TLS_CERT = `-----BEGIN CERTIFICATE-----
MIIBnDCCAUGgAwIBAgIUZidPfyZWLMgB54pyhbnhaM2q1SYwCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTEyNDE5NTEzOVoYDzIxMjYxMDMx
MTk1MTM5WjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAAQA6voNu4zezIXik1i5L2f2mB9BklV/WePQ07FsLunsHsmdcm7kS09N
cGe5y57BYNj6ztVJf2r5+6QVIkbLnxo1o28wbTAdBgNVHQ4EFgQUkibnVj6KuEZE
zfPiUroGKYOfj5swHwYDVR0jBBgwFoAUkibnVj6KuEZEzfPiUroGKYOfj5swDwYD
VR0TAQH/BAUwAwEB/zAaBgNVHREEEzARgglsb2NhbGhvc3SHBH8AAAEwCgYIKoZI
zj0EAwIDSQAwRgIhAO/89SKVyA2U5JoWeY6j4GNItkrK1lYilkBTZY2nJP4nAiEA
/wqzQ/RSam7DzNn4MeL3m72T7ec+33gacOtyl9gLNwQ=
-----END CERTIFICATE-----
`;
