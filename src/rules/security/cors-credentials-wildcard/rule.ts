import { defineRule, type RuleContext } from '../../../core/rule.js';
import type { SgNode } from '@ast-grep/napi';
import { isRepeatedConfig, pythonCorsVerdict, tsCorsVerdict, type CorsVerdict } from '../../_shared/cors-policy.js';

function reportIfMine(verdict: CorsVerdict | undefined, context: RuleContext): void {
  // The shared reading gives one verdict per configuration; security/cors-permissive reports the rest.
  if (verdict?.kind !== 'credentials-wildcard' || isRepeatedConfig(context, verdict)) return;
  context.report({ node: verdict.node, message: verdict.message });
}

const python = (node: SgNode, context: RuleContext) => reportIfMine(pythonCorsVerdict(node, context), context);
const typescript = (node: SgNode, context: RuleContext) => reportIfMine(tsCorsVerdict(node, context), context);

export default defineRule({
  meta: {
    id: 'security/cors-credentials-wildcard',
    title: 'CORS allows any origin with credentials',
    area: 'security',
    severity: 'high',
    type: 'security',
    effort: 'small',
    confidence: 'high',
    languages: ['py', 'ts'],
    since: '0.1.0',
    description: 'CORS accepts every origin (wildcard, reflected Origin, match-all regex) and also allows credentials.',
    why:
      'With credentials allowed, a browser sends the visitor\'s cookies or HTTP auth along with cross-site requests. When the ' +
      'server also accepts every origin, any website the visitor opens can call the API as that visitor and read the answers: ' +
      'account data, tokens, trading state. Starlette/FastAPI (`allow_origins=["*"]`), Flask-CORS and django-cors-headers do ' +
      'not send a literal `*` in that case, they echo the caller\'s origin, so the browser accepts it. In Express `cors`, ' +
      '`@fastify/cors` and hand-written headers the same hole is `origin: true`, an accept-all origin function or ' +
      '`Access-Control-Allow-Origin: req.headers.origin` next to `Access-Control-Allow-Credentials: true`.',
    recommendation:
      'List the exact origins of your frontends (from configuration, per environment) and keep credentials only for those: ' +
      '`allow_origins=settings.FRONTEND_ORIGINS`, `cors({ origin: ["https://app.example.com"], credentials: true })`. If the ' +
      'API is meant to be public, drop credentials instead and authenticate with a bearer token.',
    examples: [
      {
        language: 'py',
        bad:
          'from fastapi import FastAPI\nfrom fastapi.middleware.cors import CORSMiddleware\n\napp = FastAPI()\n' +
          'app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=True)\n',
        good:
          'from fastapi import FastAPI\nfrom fastapi.middleware.cors import CORSMiddleware\n\napp = FastAPI()\n' +
          'app.add_middleware(CORSMiddleware, allow_origins=["https://app.example.com"], allow_credentials=True)\n',
      },
      {
        language: 'ts',
        bad: "import cors from 'cors';\n\napp.use(cors({ origin: true, credentials: true }));\n",
        good: "import cors from 'cors';\n\napp.use(cors({ origin: ['https://app.example.com'], credentials: true }));\n",
      },
    ],
    references: [
      'seed 001 (CORS_ORIGINS = ["*"] with allow_credentials=True)',
      'Semgrep python.fastapi.security.wildcard-cors, javascript.express.security.cors-misconfiguration',
      'OWASP WSTG-CLNT-07 Testing Cross Origin Resource Sharing',
      'https://developer.mozilla.org/en-US/docs/Web/HTTP/CORS#credentialed_requests_and_wildcards',
    ],
    cwe: ['CWE-942', 'CWE-346'],
  },
  // Every CORS setup names CORS or the Access-Control-Allow-* headers.
  fileFilter: /cors|access-control-allow/i,
  visitors: {
    py: { call: python, assignment: python },
    ts: { call_expression: typescript, new_expression: typescript, object: typescript },
  },
});
