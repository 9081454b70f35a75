import type { IncomingMessage, ServerResponse } from 'node:http';
import { HTTPModuleFunctions, isRawBodyError, verifySlackRequest, type HTTPReceiver } from '@slack/bolt';
import type { Logger } from '../../log';
import { REQUEST_WINDOW_SEC, type SeenRequests } from '../../store/seen-requests';

/**
 * Puts two checks in front of Bolt's HTTP receiver at its events path, both answered 401 like Bolt's own
 * refusals: a timestamp more than 5 minutes in the future (Bolt 5 refuses only old ones, so a request signed
 * for later would stay replayable for as long as its clock is ahead), and a signed request whose signature was
 * already accepted (a replay would repeat /announce schedule or a CfP submission). The signature is checked with
 * Bolt's own verifySlackRequest first, so a forged request never reaches the replay table. The body is read
 * once with Bolt's own buffering, and Bolt reuses it (it skips a request that is already buffered).
 * Other paths go to Bolt untouched and synchronously, so its 404 for an unknown path still works.
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
  // Slack's ssl_check carries no signature; Bolt answers it (and strips anything else from it) itself.
  if (req.headers['content-type'] === 'application/x-www-form-urlencoded' && new URLSearchParams(body).get('ssl_check') === '1') return undefined;
  const signature = req.headers['x-slack-signature'];
  const timestamp = Number(req.headers['x-slack-request-timestamp']);
  if (typeof signature !== 'string' || !Number.isFinite(timestamp)) return undefined; // Bolt refuses it
  const nowSec = Math.floor(Date.now() / 1000);
  if (timestamp > nowSec + REQUEST_WINDOW_SEC) return 'timestamp more than 5 minutes in the future';
  try {
    verifySlackRequest({ signingSecret: options.signingSecret, body, headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp } });
  } catch {
    return undefined; // forged or stale: Bolt refuses it with its own 401 and log line
  }
  if (!(await options.seen.firstTime(signature, timestamp, nowSec))) return 'replayed signature';
  return undefined;
}
