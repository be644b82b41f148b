function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`Missing required environment variable ${name}`);
  }
  return value;
}

function list(value: string | undefined, fallback: string[]): string[] {
  if (!value) return fallback;
  return value.split(',').map((entry) => entry.trim()).filter(Boolean);
}

export const config = {
  env: process.env.NODE_ENV ?? 'development',
  port: Number(process.env.PORT || 4000),
  internalPort: Number(process.env.INTERNAL_PORT || 9464),

  databaseUrl: requireEnv('DATABASE_URL'),

  jwtSecret: process.env.JWT_SECRET || 'shop-dev-jwt-91d0',
  previewSecret: process.env.PREVIEW_TOKEN_SECRET ?? 'shop-preview-5e2a',

  plannerUrl: process.env.PLANNER_URL || 'http://localhost:8100',
  plannerApiKey: requireEnv('PLANNER_API_KEY'),
  plannerTimeoutMs: Number(process.env.PLANNER_TIMEOUT_MS || 30_000),

  sandboxRoot: process.env.SANDBOX_ROOT || '/var/lib/shop/sandboxes',
  sandboxBasePort: Number(process.env.SANDBOX_BASE_PORT || 9000),
  templateRepo: process.env.TEMPLATE_REPO || 'https://github.com/shop-platform/storefront-template.git',

  allowedOrigins: list(process.env.ALLOWED_ORIGINS, [
    'https://shop.example.com',
    'https://admin.shop.example.com',
  ]),
};
