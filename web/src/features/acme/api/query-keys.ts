export const acmeKeys = {
  all: ['acme'] as const,
  accounts: ['acme', 'accounts'] as const,
  hooks: ['acme', 'hooks'] as const,
  order: (id: number) => ['acme', 'orders', id] as const,
  renewal: ['settings', 'renewal'] as const,
};
