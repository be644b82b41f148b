import type { SgNode } from '@ast-grep/napi';
import { defineRule, type RuleContext } from '../../../core/rule.js';
import { objectProperty, callArguments } from '../../_shared/typescript.js';
import { tsBindingsFor, tsDeclaredValue, tsStaticString, unwrapTsExpression } from '../../_shared/static-values.js';

/** Calls whose result is safe HTML: sanitisers, escapers, and syntax highlighters/renderers that escape their input. */
const SAFE_CALL =
  /(^|\.)(sanitize\w*|\w*Sanitize|purify|escape\w*|\w*Escape|encode(HTML|Html)?|xss|filterXSS|clean(Html|HTML)?|highlight|highlightAuto|renderToString|t|\$t|formatMessage|stringify|toFixed|toLocaleString|Number)$/;
/** Names that say the value was already made safe: `safeHtml`, `sanitizedBody`, `cleanMarkup`, `escaped`. */
const SAFE_NAME = /^(safe|sanitized|sanitised|clean|cleaned|escaped|purified|trusted)|(Safe|Sanitized|Sanitised|Escaped|Purified)(Html|HTML|Markup|Content)?$/;
/** Names of numbers: `${count} items` cannot carry markup. */
const NUMERIC_NAME = /^(count|total|length|size|index|idx|i|j|n|num\w*|page|percent\w*|progress|width|height|year)$|(Count|Total|Length|Size|Index|Percent|Percentage|Width|Height|Px|Ms|Seconds|Minutes|Number|Num)$/;

/** Whether the HTML this expression produces comes only from the code itself or through a sanitiser. */
function isSafeHtml(node: SgNode | null | undefined, context: RuleContext, depth = 0): boolean {
  if (!node || depth > 5) return true;
  const value = unwrapTsExpression(node);
  const kind = String(value.kind());
  if (['string', 'number', 'true', 'false', 'null', 'undefined'].includes(kind)) return true;
  if (kind === 'template_string') {
    return value.children().filter((c) => c.kind() === 'template_substitution').every((s) => isSafeHtml(s.children().find((c) => c.isNamed()), context, depth + 1));
  }
  if (kind === 'binary_expression') return isSafeHtml(value.field('left'), context, depth + 1) && isSafeHtml(value.field('right'), context, depth + 1);
  if (kind === 'ternary_expression') return isSafeHtml(value.field('consequence'), context, depth + 1) && isSafeHtml(value.field('alternative'), context, depth + 1);
  if (kind === 'call_expression') return SAFE_CALL.test(value.field('function')?.text() ?? '');
  if (kind === 'await_expression') return isSafeHtml(value.children().find((c) => c.isNamed()), context, depth + 1);
  if (kind === 'member_expression') {
    const property = value.field('property')?.text() ?? '';
    // Copying markup the DOM already holds, a count, or a framework forwarding its own `__html` prop.
    if (/^(innerHTML|outerHTML|length|size|__html)$/.test(property) || NUMERIC_NAME.test(property)) return true;
    return SAFE_NAME.test(property);
  }
  if (kind === 'identifier') {
    if (SAFE_NAME.test(value.text())) return true;
    // An imported value (not a call result) is markup the project ships: an SVG, a template constant.
    if (tsBindingsFor(context.file, value, context.source).has(value.text())) return true;
    if (NUMERIC_NAME.test(value.text())) return true;
    const declared = tsDeclaredValue(value);
    return declared ? isSafeHtml(declared, context, depth + 1) : false;
  }
  return false;
}

function shorten(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length > 60 ? `${oneLine.slice(0, 57)}...` : oneLine;
}

function reportSink(context: RuleContext, node: SgNode, sink: string, value: SgNode): void {
  context.report({
    node,
    message: `\`${shorten(value.text())}\` is inserted as HTML through ${sink} without a sanitiser: markup or script in it runs in the page (XSS).`,
  });
}

const HTML_PROPERTY = /^(innerHTML|outerHTML)$/;

function assignment(node: SgNode, context: RuleContext): void {
  const left = node.field('left');
  const property = left?.kind() === 'member_expression' ? left.field('property')?.text() ?? '' : '';
  if (!HTML_PROPERTY.test(property)) return;
  const value = node.field('right');
  if (value && !isSafeHtml(value, context)) reportSink(context, node, `\`.${property}\``, value);
}

export default defineRule({
  meta: {
    id: 'security/dangerous-html',
    title: 'Unsanitised value inserted as HTML',
    area: 'security',
    severity: 'medium',
    type: 'security',
    effort: 'small',
    confidence: 'medium',
    languages: ['ts'],
    since: '0.1.0',
    description: 'dangerouslySetInnerHTML, innerHTML/outerHTML, insertAdjacentHTML or document.write given a non-literal value with no sanitiser.',
    why:
      'These sinks parse their argument as HTML: any `<img onerror>` or `<script>` that reaches them from user content, a ' +
      'CMS, a markdown renderer or an API response runs with the page\'s privileges (session theft, actions as the user). ' +
      'React escapes everything else precisely so that this prop stands out. Not reported: literals and template literals ' +
      'whose parts are literals, values passed through a sanitiser (`DOMPurify.sanitize`, `sanitizeHtml`, `xss`, an ' +
      '`escape*` helper) or named as already sanitised (`safeHtml`, `sanitizedBody`), `JSON.stringify` output, i18n ' +
      'strings (`t("key")`), copying another element\'s `innerHTML`, imported values (an SVG or template the project ships), names of numbers (`${count}`), and a ' +
      'framework forwarding its own `__html` prop.',
    recommendation:
      'Render text with `textContent` or normal JSX. When HTML is really needed, sanitise it right at the sink ' +
      '(`{ __html: DOMPurify.sanitize(html) }`) or use Trusted Types with a sanitising policy.',
    examples: [
      {
        language: 'ts',
        bad: 'export function showComment(box: HTMLElement, comment: { body: string }) {\n  box.innerHTML = comment.body;\n}\n',
        good: 'import DOMPurify from "dompurify";\nexport function showComment(box: HTMLElement, comment: { body: string }) {\n  box.innerHTML = DOMPurify.sanitize(comment.body);\n}\n',
      },
    ],
    references: [
      'ESLint react/no-danger; eslint-plugin-no-unsanitized (property, method)',
      'Semgrep typescript.react.security.audit.react-dangerouslysetinnerhtml; CodeQL js/xss-through-dom',
      'OWASP Cross Site Scripting Prevention Cheat Sheet (safe sinks)',
    ],
    cwe: ['CWE-79'],
  },
  fileFilter: /dangerouslySetInnerHTML|innerHTML|outerHTML|insertAdjacentHTML|document\.write|createContextualFragment/,
  visitors: {
    ts: {
      jsx_attribute(node, context) {
        const name = node.children()[0];
        if (name?.text() !== 'dangerouslySetInnerHTML') return;
        const expression = node.children().find((c) => c.kind() === 'jsx_expression')?.children().find((c) => c.isNamed());
        if (!expression) return;
        // `{{ __html: x }}`, or a same-file `const markup = { __html: x }`; anything else is forwarded props.
        let object = unwrapTsExpression(expression);
        if (object.kind() === 'identifier') object = tsDeclaredValue(object) ?? object;
        if (object.kind() !== 'object') return;
        const html = objectProperty(object, '__html');
        if (!html) return;
        // `{ __html }` shorthand: only the name can tell what it holds.
        if (html.kind() === 'shorthand_property_identifier' ? SAFE_NAME.test(html.text()) : isSafeHtml(html, context)) return;
        reportSink(context, node, '`dangerouslySetInnerHTML`', html);
      },
      assignment_expression: assignment,
      augmented_assignment_expression: assignment,
      call_expression(node, context) {
        const callee = node.field('function');
        if (callee?.kind() !== 'member_expression') return;
        const method = callee.field('property')?.text() ?? '';
        const args = callArguments(node);
        let value: SgNode | undefined;
        if (method === 'insertAdjacentHTML') value = args[1];
        else if ((method === 'write' || method === 'writeln') && /^([\w$]+\.)?document$/.test(callee.field('object')?.text() ?? '')) value = args[0];
        else if (method === 'createContextualFragment') value = args[0];
        else return;
        if (value && !isSafeHtml(value, context) && tsStaticString(value) === undefined) reportSink(context, node, `\`${method}()\``, value);
      },
    },
  },
});
