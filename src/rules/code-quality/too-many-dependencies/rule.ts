import type { SgNode } from '@ast-grep/napi';
import { defineRule, type RuleContext } from '../../../core/rule.js';

const DEFAULT_THRESHOLD = 8;

/** Type names of collaborators: services and the infrastructure they talk through. */
const COLLABORATOR_TYPE =
  /^[A-Z]\w*(Service|Repository|Repo|Client|Gateway|Manager|Provider|Adapter|Engine|Detector|Generator|Analy[sz]er|Publisher|Producer|Consumer|Factory|Dao|DAO|Session|Connector|Api|API|Notifier|Sender|Mailer|Fetcher|Tracker|Executor|Scheduler|Orchestrator|Monitor|Calculator|Broker|Bus|Store|Cache)$/;
/** Parameter names of collaborators when no type says it (`market_data_service`, `usersRepository`, `db`). */
const COLLABORATOR_NAME =
  /(^|_|[a-z0-9])(service|repository|repo|client|gateway|manager|provider|adapter|engine|publisher|producer|consumer|factory|dao|session|connector|api|notifier|sender|mailer|fetcher|tracker|executor|scheduler|orchestrator|broker|bus)$|^(db|database|redis|cache)$/i;
/** Models and settings are data, not collaborators, whatever they are called. */
const DATA_TYPE = /(Config|Settings|Options|Params|Props|Dto|DTO|Model|Schema|Request|Response|Event|Entity|Data)$/;

/** Data classes declare fields, not collaborators (pydantic, dataclasses, attrs, typed dicts). */
const PY_DATA_DECORATOR = /^(dataclasses\.)?dataclass$|^(attr\.)?(s|attrs|define|frozen)$|^attr\.s$/;
const PY_DATA_BASE = /(^|\.)(BaseModel|BaseSettings|TypedDict|NamedTuple|Struct|Schema|Model|Enum|IntEnum|StrEnum)$/;

interface Collaborator {
  /** What to show: the type, or the name when untyped. */
  label: string;
  /** The attribute or parameter it lives in, to count each once. */
  key: string;
}

function typeCollaborator(typeText: string): string | undefined {
  // `Optional[MarketDataService]`, `Repository<User>`, `"RiskManagerService"`: any collaborator name in it.
  for (const name of typeText.match(/[A-Za-z_][\w]*/g) ?? []) {
    if (COLLABORATOR_TYPE.test(name) && !DATA_TYPE.test(name)) return name;
  }
  return undefined;
}

/** The class a constructor call instantiates, if it is a collaborator (`MarketDataService(...)`, `new UsersService()`). */
function instantiated(callee: string): string | undefined {
  const name = callee.split('.').pop() ?? '';
  return COLLABORATOR_TYPE.test(name) && !DATA_TYPE.test(name) ? name : undefined;
}

function add(found: Map<string, Collaborator>, collaborator: Collaborator): void {
  if (!found.has(collaborator.key)) found.set(collaborator.key, collaborator);
}

// ---- Python

function pyDecoratorNames(definition: SgNode): string[] {
  const parent = definition.parent();
  if (parent?.kind() !== 'decorated_definition') return [];
  return parent.children().filter((c) => c.kind() === 'decorator').map((d) => d.text().replace(/^@\s*/, '').replace(/\(.*$/s, '').trim());
}

function pyCollaborators(init: SgNode): Map<string, Collaborator> {
  const found = new Map<string, Collaborator>();
  const parameters = (init.field('parameters')?.children() ?? []).filter((p) => p.isNamed() && p.kind() !== 'comment').slice(1);
  for (const parameter of parameters) {
    const kind = parameter.kind();
    if (kind === 'typed_parameter' || kind === 'typed_default_parameter') {
      const name = (parameter.field('name') ?? parameter.child(0))?.text() ?? '';
      if (name.startsWith('*')) continue;
      const type = typeCollaborator(parameter.field('type')?.text() ?? '');
      if (type) add(found, { label: type, key: name });
    } else if (kind === 'identifier' || kind === 'default_parameter') {
      const name = kind === 'identifier' ? parameter.text() : parameter.field('name')?.text() ?? '';
      if (COLLABORATOR_NAME.test(name)) add(found, { label: name, key: name });
    }
  }
  // `self.market_data = MarketDataService(settings)`: built here instead of injected.
  for (const assignment of init.field('body')?.findAll({ rule: { kind: 'assignment', has: { field: 'left', kind: 'attribute', regex: '^self\\.' } } }) ?? []) {
    const right = assignment.field('right');
    if (right?.kind() !== 'call') continue;
    const type = instantiated(right.field('function')?.text() ?? '');
    if (!type) continue;
    const attribute = assignment.field('left')?.text().replace(/^self\./, '') ?? '';
    // `self.risk = risk_service or RiskManagerService()` is handled by the parameter already.
    add(found, { label: type, key: attribute });
  }
  return found;
}

/** Words that can name a collaborator; a class mentioning fewer of them than the threshold has nothing to report. */
const COLLABORATOR_WORD =
  /(Service|Repository|Repo|Client|Gateway|Manager|Provider|Adapter|Engine|Detector|Generator|Analy[sz]er|Publisher|Producer|Consumer|Factory|Dao|DAO|Session|Connector|Api|API|Notifier|Sender|Mailer|Fetcher|Tracker|Executor|Scheduler|Orchestrator|Monitor|Calculator|Broker|Bus|Store|Cache)\b|_?(service|repository|repo|client|gateway|manager|provider|adapter|engine|publisher|producer|consumer|factory|dao|session|connector|api|notifier|sender|mailer|fetcher|tracker|executor|scheduler|orchestrator|broker|bus)\b|\b(db|database|redis|cache)\b|@Inject/g;

/** Cheap text test before any tree walking: a constructor and enough collaborator-like words. */
function worthInspecting(classNode: SgNode, constructorWord: string, context: RuleContext): boolean {
  const text = classNode.text();
  if (!text.includes(constructorWord)) return false;
  const threshold = Number(context.options.threshold ?? DEFAULT_THRESHOLD);
  let count = 0;
  for (const _ of text.matchAll(COLLABORATOR_WORD)) if (++count >= threshold) return true;
  return false;
}

function pyClass(node: SgNode, context: RuleContext): void {
  if (!worthInspecting(node, '__init__', context)) return;
  const decorators = pyDecoratorNames(node);
  if (decorators.some((d) => PY_DATA_DECORATOR.test(d))) return;
  const bases = (node.field('superclasses')?.children() ?? []).filter((c) => c.isNamed()).map((c) => c.text());
  if (bases.some((b) => PY_DATA_BASE.test(b))) return;
  const init = (node.field('body')?.children() ?? [])
    .map((s) => (s.kind() === 'decorated_definition' ? s.field('definition') : s))
    .find((s) => s?.kind() === 'function_definition' && s.field('name')?.text() === '__init__');
  if (!init) return;
  report(node, pyCollaborators(init), context);
}

// ---- TypeScript / JavaScript

function tsCollaborators(constructor: SgNode): Map<string, Collaborator> {
  const found = new Map<string, Collaborator>();
  for (const parameter of constructor.field('parameters')?.children() ?? []) {
    // JavaScript has no parameter wrapper: `constructor(usersService, db = knex)` lists bare names.
    const jsName = parameter.kind() === 'identifier' ? parameter : parameter.kind() === 'assignment_pattern' ? parameter.field('left') : undefined;
    if (jsName) {
      if (jsName.kind() === 'identifier' && COLLABORATOR_NAME.test(jsName.text())) add(found, { label: jsName.text(), key: jsName.text() });
      continue;
    }
    if (parameter.kind() !== 'required_parameter' && parameter.kind() !== 'optional_parameter') continue;
    const pattern = parameter.field('pattern');
    if (pattern?.kind() !== 'identifier') continue; // `{ knex, schema }: Options`: an options bag
    const name = pattern.text();
    const type = parameter.field('type')?.text().replace(/^:\s*/, '');
    // `@Inject(TOKEN) cache` / `@InjectRepository(User) repo`: the container supplies a collaborator.
    const injected = parameter.children().some((c) => c.kind() === 'decorator' && /^@Inject\w*\(/.test(c.text()));
    const typed = type ? typeCollaborator(type) : undefined;
    if (typed) add(found, { label: typed, key: name });
    else if (injected || (!type && COLLABORATOR_NAME.test(name))) add(found, { label: type && type.length <= 40 ? type : name, key: name });
  }
  for (const assignment of constructor.field('body')?.findAll({ rule: { kind: 'assignment_expression', has: { field: 'left', kind: 'member_expression', regex: '^this\\.' } } }) ?? []) {
    const right = assignment.field('right');
    if (right?.kind() !== 'new_expression') continue;
    const type = instantiated(right.field('constructor')?.text() ?? '');
    if (!type) continue;
    add(found, { label: type, key: assignment.field('left')?.text().replace(/^this\./, '') ?? type });
  }
  return found;
}

function tsClass(node: SgNode, context: RuleContext): void {
  if (!worthInspecting(node, 'constructor', context)) return;
  const constructor = node
    .field('body')
    ?.children()
    .find((m) => m.kind() === 'method_definition' && m.field('name')?.text() === 'constructor');
  if (!constructor) return;
  report(node, tsCollaborators(constructor), context);
}

function report(classNode: SgNode, found: Map<string, Collaborator>, context: RuleContext): void {
  const threshold = Number(context.options.threshold ?? DEFAULT_THRESHOLD);
  if (found.size < threshold) return;
  const nameNode = classNode.field('name');
  const name = nameNode?.text() ?? 'class';
  const labels = [...found.values()].map((c) => `\`${c.label}\``);
  const shown = labels.length > 6 ? `${labels.slice(0, 6).join(', ')} and ${labels.length - 6} more` : labels.join(', ');
  context.report({
    node: nameNode ?? classNode,
    message: `\`${name}\` depends on ${found.size} collaborators through its constructor (${shown}): it coordinates too many services.`,
  });
}

export default defineRule({
  meta: {
    id: 'code-quality/too-many-dependencies',
    title: 'Class with too many collaborators',
    area: 'code-quality',
    severity: 'medium',
    type: 'enhancement',
    effort: 'large',
    confidence: 'medium',
    languages: ['py', 'ts'],
    since: '0.1.0',
    description: 'A class whose constructor injects or instantiates 8 or more services, clients or repositories.',
    why:
      'A class that needs eight services does eight jobs: it is hard to test (every test builds or mocks all of them), any ' +
      'change in one of them ripples into it, and it tends to grow into the "god service" that everything passes through ' +
      '(seed 001: "TradingEngine initializes 8+ services", tight coupling through service initialization). Counted as ' +
      'collaborators: constructor parameters typed as a service, repository, client, gateway, manager, provider, engine and ' +
      'similar (`market_data: MarketDataService`, NestJS `private readonly users: UsersService`, `@InjectRepository(User)`), ' +
      'untyped ones named that way (`risk_service`, `db`), and services built in the constructor (`self.llm = LLMClient()`, ' +
      '`this.mailer = new MailService()`). Not counted: scalar and data parameters (`name: str, age: int`), models, DTOs, ' +
      'config/settings/options objects and destructured options bags, locks, collections and other values built in the ' +
      'constructor. Data classes (pydantic models, `@dataclass`, attrs, TypedDict, NamedTuple) are never reported.',
    recommendation:
      'Split the class along its responsibilities (for example execution, risk checks and reporting), or put a facade in ' +
      'front of a group of collaborators that are always used together. Prefer injecting collaborators over building them in ' +
      'the constructor, so tests can pass fakes. The threshold is the `threshold` option.',
    examples: [
      {
        language: 'py',
        bad:
          'class TradingEngine:\n    def __init__(self, settings):\n        self.market_data = MarketDataService(settings)\n' +
          '        self.risk = RiskManagerService(settings)\n        self.llm = LLMClient(settings.llm_key)\n        self.fvg = FVGDetectorService()\n' +
          '        self.alpha = AlphaSetupGenerator()\n        self.prompts = MultiCoinPromptService()\n        self.orders = OrderRepository()\n' +
          '        self.notifier = TelegramNotifier(settings.telegram_token)\n',
        good:
          'class TradingEngine:\n    def __init__(self, signals: SignalPipeline, execution: ExecutionService, risk: RiskManagerService):\n' +
          '        self.signals = signals\n        self.execution = execution\n        self.risk = risk\n',
      },
      {
        language: 'ts',
        bad:
          '@Injectable()\nexport class CheckoutService {\n  constructor(\n    private readonly users: UsersService,\n    private readonly carts: CartService,\n' +
          '    private readonly payments: PaymentsClient,\n    private readonly inventory: InventoryService,\n    private readonly pricing: PricingService,\n' +
          '    private readonly mailer: MailService,\n    private readonly orders: OrderRepository,\n    private readonly audit: AuditService,\n  ) {}\n}\n',
        good:
          '@Injectable()\nexport class CheckoutService {\n  constructor(\n    private readonly carts: CartService,\n    private readonly payments: PaymentsClient,\n' +
          '    private readonly fulfilment: FulfilmentService,\n  ) {}\n}\n',
      },
    ],
    references: [
      'seed 001 (TradingEngine initializes 8+ services; tight coupling)',
      'pylint too-many-instance-attributes (R0902), too-many-arguments (R0913)',
      'SonarQube S1200 (classes should not be coupled to too many other classes)',
      'ESLint max-params',
    ],
    options: {
      threshold: { default: DEFAULT_THRESHOLD, description: 'Number of constructor collaborators from which a class is reported.' },
    },
  },
  fileFilter: /Service|Repository|Repo\b|Client|Gateway|Manager|Provider|Adapter|Engine|Factory|Session|_api\b|Api\b|API\b|Notifier|Mailer|Broker|Store|Cache|\b(db|database|redis|cache)\b|_(service|repository|repo|client|manager|provider|engine|session)\b|@Inject/i,
  visitors: {
    py: { class_definition: pyClass },
    ts: { class_declaration: tsClass, abstract_class_declaration: tsClass, class: tsClass },
  },
});
