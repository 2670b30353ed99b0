import net from 'node:net';

/**
 * One HTTP/1.1 request written by hand on a socket, as a broken or hostile client would: any
 * bytes, in pieces, with pauses between them, or cut off. Resolves with the status line's code,
 * or 0 when the server closed the connection without an answer.
 */
export function rawRequest(
  url: string,
  pieces: Buffer[],
  options: { pauseMs?: number; hangUp?: boolean } = {},
): Promise<number> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname);
    let answer = '';
    let settled = false;
    const done = (status: number) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(status);
    };
    socket.on('data', (d: Buffer) => {
      answer += d.toString('latin1');
      const match = /^HTTP\/1\.1 (\d{3})/.exec(answer);
      if (match) done(Number(match[1]));
    });
    socket.on('error', () => done(0));
    socket.on('close', () => done(0));
    socket.on('connect', () => {
      void (async () => {
        for (const piece of pieces) {
          if (socket.destroyed) return;
          socket.write(piece);
          if (options.pauseMs) await new Promise((r) => setTimeout(r, options.pauseMs));
        }
        // Then the client stops sending (EOF): a request still incomplete is dropped by the
        // server, a complete one is answered.
        if (options.hangUp) done(0);
        else socket.end();
      })();
    });
  });
}
