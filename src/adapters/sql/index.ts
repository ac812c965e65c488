/** The SQL Server adapter: `SqlGateway` over mssql/tedious. */
export { MssqlGateway, type MssqlGatewayOptions } from './gateway';
export { type SqlAuth, type SqlConnectionSettings, toMssqlConfig, describeEndpoint } from './settings';
export { splitBatches } from './batches';
