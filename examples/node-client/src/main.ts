// Submits a CSV of people to Nexus as a service account, follows the batches live until every
// record is decided, and prints each record's decision.
//   NEXUS_URL=http://127.0.0.1:3000 NEXUS_API_KEY=nxk_... node dist/main.js people.csv
import { createNexusClient, isNexusError, submitFile, waitForBatches } from '@nexus/client';

const url = process.env.NEXUS_URL ?? 'http://127.0.0.1:3000';
const apiKey = process.env.NEXUS_API_KEY;
const file = process.argv[2] ?? 'people.csv';
if (!apiKey) {
  console.error(
    'set NEXUS_API_KEY to a service account API key (nexus user add NAME --role ingest --service)',
  );
  process.exit(2);
}

const client = createNexusClient(url, { apiKey });
try {
  const me = await client.trpc.auth.me.query();
  console.log(`signed in as ${me.username} (${me.role})`);

  const sent = await submitFile(client, file, {
    batchSize: 2,
    onBatch: (receipt, records) => {
      for (const refused of receipt.rejected) {
        const why = refused.errors.map((e) => `${e.field} ${e.message}`).join('; ');
        console.log(
          `refused ${records[refused.index]?.external_id || `record ${refused.index + 1}`}: ${why}`,
        );
      }
    },
    onProgress: (p) => console.log(`sent ${p.read} records in ${p.batches} batches (${p.rejected} refused)`),
  });

  const batches = await waitForBatches(client, sent.batchIds, {
    onProgress: (p) => console.log(`decided ${p.decided} of ${p.records}`),
  });
  for (const batch of batches) {
    const page = await client.trpc.batches.records.query({ batchId: batch.id, limit: 500 });
    for (const record of page.items)
      console.log(`decision ${record.externalId} ${record.status} golden=${record.goldenId ?? '-'}`);
  }
} catch (error) {
  if (!isNexusError(error)) throw error;
  // Every failure carries the server's stable code: branch on it, show the message.
  console.error(`${error.code}: ${error.message}`);
  process.exitCode = 1;
} finally {
  await client.close();
}
