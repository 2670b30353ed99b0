export * from '@nexus/client';
