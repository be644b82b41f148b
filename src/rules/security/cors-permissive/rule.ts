import { defineRule, type RuleContext } from '../../../core/rule.js';
import type { SgNode } from '@ast-grep/napi';
import { isRepeatedConfig, pythonCorsVerdict, tsCorsVerdict, type CorsVerdict } from '../../_shared/cors-policy.js';

function reportIfMine(verdict: CorsVerdict | undefined, context: RuleContext): void {
  // A configuration that also allows credentials is security/cors-credentials-wildcard's, never both.
  if (verdict?.kind !== 'permissive' || isRepeatedConfig(context, verdict)) return;
  context.report({ node: verdict.node, message: verdict.message });
}

const python = (node: SgNode, context: RuleContext) => reportIfMine(pythonCorsVerdict(node, context), context);
const typescript = (node: SgNode, context: RuleContext) => reportIfMine(tsCorsVerdict(node, context), context);

export default defineRule({
  meta: {
    id: 'security/cors-permissive',
    title: 'CORS allows any origin or any header',
    area: 'security',
    severity: 'medium',
    type: 'security',
    effort: 'small',
    confidence: 'high',
    languages: ['py', 'ts'],
    since: '0.1.0',
    description: 'CORS accepts every origin or every request header (no credentials involved): `allow_headers=["*"]`, bare `cors()`, `CORS(app)`.',
    why:
      'CORS is the list of websites allowed to read this API\'s answers from a visitor\'s browser. A wildcard origin lets every ' +
      'site do it: harmless for a truly public API, but internal dashboards, intranet services and APIs that trust the network ' +
      'or a client IP become readable from any page the visitor opens. A wildcard header list widens what those sites may send ' +
      '(seed 002). Flagged only where the wildcard widens the library default: bare `cors()` and `CORS(app)` default to any ' +
      'origin; Starlette and django-cors-headers default to no extra headers, so `allow_headers=["*"]` is reported there. ' +
      'A wildcard together with credentials is reported as security/cors-credentials-wildcard instead.',
    recommendation:
      'List the origins that need access, read from configuration per environment (`allow_origins=settings.FRONTEND_ORIGINS`, ' +
      '`cors({ origin: process.env.FRONTEND_ORIGIN })`), and the headers the frontend really sends ' +
      '(`allow_headers=["Content-Type", "Authorization"]`). If the API is public on purpose, say so with ' +
      '`probity-ignore[security/cors-permissive]: <reason>`.',
    examples: [
      {
        language: 'py',
        bad:
          'from fastapi.middleware.cors import CORSMiddleware\n\n' +
          'app.add_middleware(CORSMiddleware, allow_origins=settings.ORIGINS, allow_headers=["*"])\n',
        good:
          'from fastapi.middleware.cors import CORSMiddleware\n\n' +
          'app.add_middleware(CORSMiddleware, allow_origins=settings.ORIGINS, allow_headers=["Content-Type", "Authorization"])\n',
      },
      {
        language: 'ts',
        bad: "import cors from 'cors';\n\napp.use(cors());\n",
        good: "import cors from 'cors';\n\napp.use(cors({ origin: process.env.FRONTEND_ORIGIN }));\n",
      },
    ],
    references: [
      'seed 002 (CORS allow_headers=["*"])',
      'seed 001 (CORS allows all origins)',
      'Semgrep python.fastapi.security.wildcard-cors',
      'OWASP WSTG-CLNT-07 Testing Cross Origin Resource Sharing',
    ],
    cwe: ['CWE-942'],
  },
  // Every CORS setup names CORS or the Access-Control-Allow-* headers.
  fileFilter: /cors|access-control-allow/i,
  visitors: {
    py: { call: python, assignment: python },
    ts: { call_expression: typescript, new_expression: typescript, object: typescript },
  },
});
