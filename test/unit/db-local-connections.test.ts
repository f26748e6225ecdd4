/**
 * createDb's `localAgent` with maxSockets N: the settlement job worker's client keeps at most N requests
 * in flight to DynamoDB Local (shared/services/settlements-job-worker.ts), however many its code sends
 * at once. A local HTTP endpoint that answers every GetItem after a pause counts the requests it holds.
 */
import { Agent, createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '#shared/data/db.ts';

let server: Server;
let endpoint: string;
let inFlight = 0;
let mostInFlight = 0;

beforeAll(async () => {
  server = createServer((request, response) => {
    inFlight++;
    mostInFlight = Math.max(mostInFlight, inFlight);
    request.resume();
    request.on('end', () =>
      setTimeout(() => {
        inFlight--;
        response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end('{}');
      }, 30),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => {
  server.closeAllConnections();
  server.close();
});

async function mostInFlightFor(localConnections?: number): Promise<number> {
  const localAgent = localConnections ? new Agent({ keepAlive: true, maxSockets: localConnections }) : undefined;
  const db = createDb({ tableName: 't', endpoint, region: 'local' }, localAgent ? { localAgent } : {});
  mostInFlight = 0;
  await Promise.all(Array.from({ length: 8 }, (_, i) => db.doc.send(new GetCommand({ TableName: 't', Key: { pk: `k${i}`, sk: 'x' } }))));
  db.doc.destroy();
  return mostInFlight;
}

describe('createDb localAgent', () => {
  it('keeps at most that many requests in flight; without it, eight go out at once', async () => {
    expect(await mostInFlightFor(2)).toBe(2);
    expect(await mostInFlightFor()).toBe(8);
  });
});
