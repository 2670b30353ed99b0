import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  /** The raw message (headers and body), as the server received it. */
  raw: string;
}

/**
 * A real SMTP server (nodemailer's smtp-server) on 127.0.0.1, without TLS or authentication,
 * keeping every message it accepts. `failing` makes it refuse recipients (a 550).
 */
export async function startSmtpReceiver(): Promise<{
  url: string;
  mails: ReceivedMail[];
  failing: { on: boolean };
  close(): Promise<void>;
}> {
  const mails: ReceivedMail[] = [];
  const failing = { on: false };
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(_address, _session, callback) {
      if (failing.on) callback(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }));
      else callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    failing,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
