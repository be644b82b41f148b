import { config } from '../config.js';
import { logger } from '../logger.js';

export interface PlannedFile {
  path: string;
  content: string;
}

export interface Plan {
  name: string;
  summary: string;
  files: PlannedFile[];
}

export interface PlanContext {
  storeName?: string;
  theme?: 'light' | 'dark';
  features?: string[];
}

export class PlannerService {
  constructor(private readonly baseUrl: string = config.plannerUrl) {}

  async generateApp(prompt: string, context?: any): Promise<any> {
    const response = await fetch(`${this.baseUrl}/v1/plan`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${config.plannerApiKey}`,
      },
      body: JSON.stringify({ prompt, context }),
    });
    if (!response.ok) {
      throw new Error(`planner returned ${response.status}`);
    }
    return response.json();
  }
  
  async analyze(prompt: string, context?: PlanContext): Promise<Plan> {
    const raw = await this.generateApp(prompt, context);
    const plan = normalizePlan(raw); 
    logger.info({ files: plan.files.length, name: plan.name }, 'plan received');
    return plan;
  }

  async suggest(appId: string, code: string): Promise<string[]> {
    const response = await fetch(`${this.baseUrl}/v1/suggest`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${config.plannerApiKey}`,
      },
      body: JSON.stringify({ appId, code }),
      signal: AbortSignal.timeout(config.plannerTimeoutMs),
    });
    if (!response.ok) {
      throw new Error(`planner returned ${response.status} for suggestions`);
    }
    const body = (await response.json()) as { suggestions?: unknown };
    if (!Array.isArray(body.suggestions)) return [];
    return body.suggestions.filter((item): item is string => typeof item === 'string');
  }
}

function isPlannedFile(value: unknown): value is PlannedFile {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate.path === 'string' && typeof candidate.content === 'string';
}

export function normalizePlan(raw: unknown): Plan {
  if (typeof raw !== 'object' || raw === null) {
    throw new Error('planner answer is not an object');
  }
  const data = raw as Record<string, unknown>;
  const files = Array.isArray(data.files) ? data.files.filter(isPlannedFile) : [];
  if (files.length === 0) {
    throw new Error('planner answer has no files; refusing to start an app without any source');
  }
  return {
    name: typeof data.name === 'string' && data.name ? data.name : 'Untitled storefront',
    summary: typeof data.summary === 'string' ? data.summary : '',
    files,
  };
}
