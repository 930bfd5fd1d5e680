// Receive docr's callbacks and check their Standard Webhooks signature.
// DOCR_WEBHOOK_SECRET=whsec_... node --import tsx sdk/examples/webhook-receiver.ts   (then create tasks with callbackUrl http://<this host>:3000/ocr-done)
import http from 'node:http';
import { verifyWebhook, WebhookVerificationError } from '@docr/sdk';

http.createServer(async (req, res) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    const { data } = await verifyWebhook(process.env.DOCR_WEBHOOK_SECRET!, { headers: req.headers, body: Buffer.concat(chunks) });
    console.log(`task ${data.task_id} ended in state ${data.state}`, data.file ?? data.err_message);
    res.end('ok');
  } catch (e) {
    res.statusCode = e instanceof WebhookVerificationError ? 400 : 500;
    res.end(String(e));
  }
}).listen(Number(process.env.PORT ?? 3000));
