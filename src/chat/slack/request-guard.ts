import type { IncomingMessage, ServerResponse } from 'node:http';
import { HTTPModuleFunctions, isRawBodyError, verifySlackRequest, type HTTPReceiver } from '@slack/bolt';
import type { Logger } from '../../log';
import { REQUEST_WINDOW_SEC, type SeenRequests } from '../../store/seen-requests';

/**
 * Checks every request to Bolt's HTTP receiver at its events path, which runs with its own signature check
 * turned off (the receiver's `signatureVerification: false`) so that each request is verified once, here.
 * Refused with 401, as Bolt refuses them: a missing, forged or stale signature (Bolt's own verifySlackRequest),
 * a timestamp more than 5 minutes in the future (Bolt 5 refuses only old ones, so a request signed for later
 * would stay replayable for as long as its clock is ahead), and a signed request whose signature was already
 * accepted (a replay would repeat /announce schedule or a CfP submission). A forged request never reaches the
 * replay table. Slack's unsigned ssl_check is let through with everything else stripped from its body, as Bolt
 * does, so nothing can ride on it. The body is read once with Bolt's own buffering, and Bolt reuses it (it skips
 * a request that is already buffered). Other paths go to Bolt untouched and synchronously, so its 404 for an
 * unknown path still works.
 */
export function guardRequests(receiver: HTTPReceiver, options: { signingSecret: string; endpoint: string; seen: SeenRequests; log: Logger }): void {
  const bolt = receiver.requestListener;
  receiver.requestListener = (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== options.endpoint || req.method?.toUpperCase() !== 'POST') return bolt(req, res);
    void check(req, options).then(
      (refusal) => {
        if (refusal === undefined) return bolt(req, res);
        options.log.warn({ reason: refusal }, 'slack request refused');
        res.writeHead(401).end();
      },
      (error: unknown) => {
        const tooLarge = isRawBodyError(error) && (error.type === 'entity.too.large' || error.statusCode === 413);
        res.writeHead(tooLarge ? 413 : 400).end();
      },
    );
  };
}

/** Why the request is refused, or undefined to let Bolt have it. */
async function check(req: IncomingMessage, options: { signingSecret: string; seen: SeenRequests }): Promise<string | undefined> {
  const buffered = await HTTPModuleFunctions.bufferIncomingMessage(req);
  const body = buffered.rawBody.toString();
  // Slack's ssl_check carries no signature; Bolt answers it once anything else is gone from the body.
  if (req.headers['content-type'] === 'application/x-www-form-urlencoded' && new URLSearchParams(body).get('ssl_check') === '1') {
    buffered.rawBody = Buffer.from('ssl_check=1');
    return undefined;
  }
  const signature = req.headers['x-slack-signature'];
  const timestamp = Number(req.headers['x-slack-request-timestamp']);
  if (typeof signature !== 'string' || !Number.isFinite(timestamp)) return 'unsigned';
  const nowSec = Math.floor(Date.now() / 1000);
  if (timestamp > nowSec + REQUEST_WINDOW_SEC) return 'timestamp more than 5 minutes in the future';
  try {
    verifySlackRequest({ signingSecret: options.signingSecret, body, headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp } });
  } catch (error) {
    return error instanceof Error ? error.message : 'signature check failed'; // forged, or stale (over 5 minutes old)
  }
  if (!(await options.seen.firstTime(signature, timestamp, nowSec))) return 'replayed signature';
  return undefined;
}
