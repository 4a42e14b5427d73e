export { AdminClient } from './admin-client.js';
export { AuthClient } from './auth-client.js';
export { Transport, type TransportOptions } from './transport.js';
export * from './models.js';
