// Decides which rules run and with which settings: catalog defaults (stable rules on, preview
// off), then the config file's `rules`, then --enable/--disable from the command line.
import { ConfigError } from '../config/load.js';
import type { ProbityConfig } from '../config/schema.js';
import type { CompiledRule } from '../core/rule.js';
import type { Catalog } from './catalog.js';
import type { RuleSettings } from './run-file.js';

export interface Selection {
  rules: CompiledRule[];
  settings: Record<string, RuleSettings>;
}

/** Matches an exact id, an area (`security`) or an area glob (`security/*`). */
function selectorMatches(selector: string, id: string): boolean {
  const clean = selector.replace(/\/\*$/, '');
  return id === clean || id.startsWith(`${clean}/`);
}

function checkSelectors(selectors: string[], catalog: Catalog, where: string): void {
  for (const selector of selectors) {
    if (!catalog.rules.some((rule) => selectorMatches(selector, rule.meta.id))) {
      const close = catalog.rules.map((r) => r.meta.id).filter((id) => id.split('/')[1] === selector.split('/').pop());
      throw new ConfigError(`unknown rule "${selector}" in ${where}${close.length ? ` (did you mean ${close.join(', ')}?)` : ''}; run \`probity rules\` for the list`);
    }
  }
}

/** `only`: run just these rules or areas (also preview ones), whatever the configuration enables. */
export function selectRules(catalog: Catalog, config: ProbityConfig, enable: string[] = [], disable: string[] = [], only: string[] = []): Selection {
  checkSelectors(Object.keys(config.rules ?? {}), catalog, 'the configuration "rules"');
  checkSelectors(enable, catalog, '--enable');
  checkSelectors(disable, catalog, '--disable');
  checkSelectors(only, catalog, '--only');
  const settings: Record<string, RuleSettings> = {};
  const rules: CompiledRule[] = [];
  for (const rule of catalog.rules) {
    const id = rule.meta.id;
    let enabled = rule.meta.status === 'stable';
    const setting = config.rules?.[id];
    if (setting === 'off') enabled = false;
    else if (setting === 'on') enabled = true;
    else if (typeof setting === 'string') {
      enabled = true;
      settings[id] = { severity: setting };
    } else if (setting) {
      if (setting.enabled !== undefined) enabled = setting.enabled;
      else enabled = true;
      settings[id] = { severity: setting.severity, options: setting.options };
    }
    if (enable.some((s) => selectorMatches(s, id))) enabled = true;
    if (disable.some((s) => selectorMatches(s, id))) enabled = false;
    if (only.length) enabled = only.some((s) => selectorMatches(s, id));
    if (enabled) rules.push(rule);
  }
  return { rules, settings };
}
