/**
 * The one DynamoDB table's key schema and indexes. CDK (infra/) and the local table
 * creation (shared/data/create-table.ts) both read this object, so the deployed and the
 * local table cannot drift apart. Key values are built only in ./keys.ts; the access
 * patterns are listed in docs/data-model.md.
 */
export const tableDesign = {
  partitionKey: 'pk',
  sortKey: 'sk',
  timeToLiveAttribute: 'expiresAt',
  globalSecondaryIndexes: [
    { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    { indexName: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
    { indexName: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
  ],
} as const;

export type IndexName = (typeof tableDesign.globalSecondaryIndexes)[number]['indexName'];
