// The fake SMTP relay (libs/testing: nodemailer's smtp-server, every message parsed) in a process of its own, with
// the receipt time of every accepted message (250 after DATA; timed-fake-ipc.ts). Plain SMTP without STARTTLS or
// AUTH, as a relay on the same host would be.
import './register-paths';
import type { FakeSmtpServer as FakeSmtpServerType } from '@bousai/testing';
import { serveArrivals } from './timed-fake-ipc';

async function main(): Promise<void> {
  const { FakeSmtpServer } = await import('@bousai/testing');
  const server: FakeSmtpServerType = await FakeSmtpServer.start();
  serveArrivals({
    take: () => server.received.splice(0).map((m) => m.receivedAt),
    reset: () => server.reset(),
    stats: () => server.stats(),
    close: () => server.close(),
  });
  process.stdout.write(`ready ${server.port}\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
