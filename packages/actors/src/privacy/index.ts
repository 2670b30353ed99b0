export * from './fieldCipher';
export * from './personalFields';
export * from './keyEncryptionKey';
export * from './keyStore';
export { DecryptingPlugin } from './decryptingPlugin';
export * from './startEncryption';
