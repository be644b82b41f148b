// SARIF 2.1.0 for code-scanning integrations (GitHub, Azure DevOps). Severity maps to `level`
// in one place; rule descriptors carry the help text; our fingerprint is the partial fingerprint.
import type { AuditResult, RuleSummary } from '../core/audit-result.js';
import type { Severity } from '../core/types.js';
import { EXAMPLE_FENCE } from './example-languages.js';

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

export function toSarifLevel(severity: Severity): 'error' | 'warning' | 'note' {
  if (severity === 'critical' || severity === 'high') return 'error';
  if (severity === 'medium') return 'warning';
  return 'note';
}

/** GitHub code scanning reads `security-severity` (0–10) to rank security alerts. */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0' };

function ruleDescriptor(rule: RuleSummary) {
  const example = rule.example ? `\n\nExample:\n${rule.example.bad}\nUse instead:\n${rule.example.good}` : '';
  const fence = rule.example ? EXAMPLE_FENCE[rule.example.language] ?? '' : '';
  const markdownExample = rule.example
    ? `\n\n**Example**\n\n\`\`\`${fence}\n${rule.example.bad}\`\`\`\n\n**Use instead**\n\n\`\`\`${fence}\n${rule.example.good}\`\`\``
    : '';
  return {
    id: rule.id,
    name: rule.title,
    shortDescription: { text: rule.description },
    fullDescription: { text: rule.why },
    help: {
      text: `${rule.recommendation}${example}`,
      markdown: `**Why is this bad?** ${rule.why}\n\n**Recommendation:** ${rule.recommendation}${markdownExample}`,
    },
    defaultConfiguration: { level: toSarifLevel(rule.severity) },
    properties: {
      tags: [...new Set([rule.area, rule.type, ...(rule.cwe ?? []).map((cwe) => `external/cwe/${cwe.toLowerCase()}`)])],
      precision: rule.confidence === 'high' ? 'high' : rule.confidence === 'medium' ? 'medium' : 'low',
      ...(rule.area === 'security' ? { 'security-severity': SECURITY_SEVERITY[rule.severity] } : {}),
    },
  };
}

export function renderSarif(result: AuditResult): string {
  const ruleIndex = new Map(result.rules.map((rule, index) => [rule.id, index]));
  const sarif = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'Probity',
            version: result.tool.version,
            semanticVersion: result.tool.version,
            rules: result.rules.map(ruleDescriptor),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The audited folder' } } },
        results: result.findings.map((finding) => ({
          ruleId: finding.ruleId,
          ...(ruleIndex.has(finding.ruleId) ? { ruleIndex: ruleIndex.get(finding.ruleId) } : {}),
          level: toSarifLevel(finding.severity),
          message: { text: finding.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: encodeURI(finding.file), uriBaseId: '%SRCROOT%' },
                region: {
                  startLine: finding.line,
                  startColumn: finding.column,
                  endLine: finding.endLine,
                  endColumn: finding.endColumn,
                  snippet: { text: finding.snippet },
                },
              },
            },
          ],
          partialFingerprints: { 'probity/v1': finding.fingerprint },
          properties: { severity: finding.severity, area: finding.area, effort: finding.effort },
        })),
        invocations: [
          {
            executionSuccessful: true,
            // Checks that could not run (no network) are notes: the audit itself succeeded.
            ...(result.skippedChecks?.length
              ? {
                  toolConfigurationNotifications: result.skippedChecks.map((skipped) => ({
                    level: 'note',
                    descriptor: { id: skipped.rule },
                    message: { text: `skipped: ${skipped.reason}` },
                  })),
                }
              : {}),
            toolExecutionNotifications: result.diagnostics.map((diagnostic) => ({
              level: 'warning',
              message: { text: `${diagnostic.kind}: ${diagnostic.reason}` },
              ...(diagnostic.file
                ? {
                    locations: [
                      {
                        physicalLocation: {
                          artifactLocation: { uri: encodeURI(diagnostic.file), uriBaseId: '%SRCROOT%' },
                          ...(diagnostic.line ? { region: { startLine: diagnostic.line } } : {}),
                        },
                      },
                    ],
                  }
                : {}),
            })),
          },
        ],
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
