/**
 * The lambda-optimizer library API: every name here is supported (docs/library.md);
 * anything not exported is internal and may change. Named exports only.
 */

export {
  errorDocument,
  InvocationAborted,
  type InvokeLocalHooks,
  invokeLocal,
  invokeLocalChecked,
} from "./api/invoke-local.js";
export {
  type InvokeLocalOptions,
  type InvokeLocalOptionsInput,
  InvokeLocalOptionsSchema,
} from "./api/invoke-local-options.js";
export {
  mapPowerTuningInput,
  POWER_TUNING_FIELDS,
  type PowerTuningMapping,
  type PowerTuningOptions,
} from "./api/power-tuning-input.js";
export {
  type AwsTargetOptions,
  type LocalTargetOptions,
  type TargetOptions,
  type TargetOptionsInput,
  TargetOptionsSchema,
} from "./api/target-options.js";
export { type TuneHooks, tune, tuneChecked } from "./api/tune.js";
export {
  TUNING_DEFAULTS,
  type TuningOptions,
  type TuningOptionsInput,
  TuningOptionsSchema,
} from "./api/tuning-options.js";
export {
  type AuditHooks,
  type AuditPlan,
  audit,
  failsGate,
  fixFailed,
  planAudit,
  runAuditPlan,
} from "./audit/audit.js";
export {
  AUDIT_DEFAULTS,
  type AuditOptions,
  type AuditOptionsInput,
  AuditOptionsSchema,
  SEVERITIES,
  SEVERITY_THRESHOLDS,
  type SeverityThreshold,
} from "./audit/audit-options.js";
export {
  type AuditTargets,
  auditProject,
  findAuditTargets,
  type ProjectAuditOptions,
} from "./audit/audit-project.js";
export type {
  CallSite,
  CodeExport,
  CodeFunction,
  CodeImport,
  CodeLanguage,
  CodeModule,
  CodePosition,
  EnvRead,
  StateWrite,
  TmpWrite,
} from "./audit/code/code-model.js";
export type { CodeFinding, CodeRule } from "./audit/code/code-rule.js";
export type { FunctionCode, Workload } from "./audit/code/function-code.js";
export { CODE_RULES } from "./audit/code-rules/index.js";
export { checkEventSourceMappings } from "./audit/esm-check.js";
export {
  ESM_EVENT_SOURCES,
  type EsmCheckOptions,
  type EsmCheckOptionsInput,
  EsmCheckOptionsSchema,
  type EsmEventSource,
} from "./audit/esm-check-options.js";
export {
  type EsmCheckReport,
  EsmCheckReportSchema,
  type EsmFinding,
  type EsmMappingCheck,
} from "./audit/esm-check-report.js";
export {
  type AuditReport,
  AuditReportSchema,
  type Finding,
  findingsAtOrAbove,
} from "./audit/findings.js";
export { type MeasuredInit, MeasuredInitIndex } from "./audit/measured-init.js";
export type { AuditRule, RuleMeta, Severity } from "./audit/rule.js";
export { TEMPLATE_RULES } from "./audit/rules/index.js";
export { type FunctionRun, SavedFunctionRuns } from "./audit/saved-function-runs.js";
export { type TunedMemory, TunedMemoryIndex } from "./audit/tuned-memory.js";
export { describeFailure } from "./aws/failure-description.js";
export { type AwsConnection, createLambdaClient } from "./aws/lambda-client.js";
export { LambdaApiServer } from "./emulator/control-api/lambda-api-server.js";
export {
  type DoctorOptions,
  type DoctorReport,
  DoctorReportSchema,
  doctorReport,
} from "./emulator/doctor-report.js";
export {
  Emulator,
  type EmulatorOptions,
  type InvokeOptions,
  type InvokeResult,
} from "./emulator/emulator.js";
export {
  type EmulatorStarted,
  type EmulatorStartedOptions,
  EmulatorStartedSchema,
  emulatorStarted,
} from "./emulator/emulator-started.js";
export {
  type FunctionAwsAccess,
  FunctionAwsAccessSchema,
  parseFunctionAwsAccess,
} from "./emulator/function-aws-access.js";
export type {
  FunctionUrlCors,
  FunctionUrlSettings,
} from "./emulator/function-url/function-url-settings.js";
export type { FunctionUrlConfig, FunctionUrls } from "./emulator/function-url/function-urls.js";
export {
  functionFromHandlerSpec,
  localFunctionFromHandlerSpec,
} from "./emulator/functions/from-handler.js";
export { functionsFromTemplate } from "./emulator/functions/from-template.js";
export type { FunctionDefinition } from "./emulator/functions/function-definition.js";
export {
  type InvocationReport,
  InvocationReportSchema,
  invocationReport,
} from "./emulator/invocation-report.js";
export {
  checkCpuLaw,
  LAW_RATIO,
  LAW_TOLERANCE,
  type LawCheck,
  type LawCheckOptions,
  LawCheckSchema,
} from "./emulator/law-check.js";
export {
  lawCheckFile,
  readCachedLawCheck,
  saveLawCheck,
} from "./emulator/law-check-cache.js";
export {
  type InterpreterReport,
  InterpreterReportSchema,
  interpreterReport,
  type NodeVersions,
  type RuntimeInterpreter,
  resolveInterpreter,
} from "./emulator/runtimes/interpreter.js";
export { cachedNodeBinaries, officialNodeBinary } from "./emulator/runtimes/node-binaries.js";
export {
  detectSandbox,
  type SandboxReport,
  SandboxReportSchema,
} from "./emulator/sandbox/index.js";
export { UsageError } from "./errors.js";
export {
  type EsmOptimizeIo,
  optimizeEventSourceMappings,
} from "./esm/optimize/optimize-mappings.js";
export {
  ESM_OPTIMIZE_DEFAULTS,
  type EsmOptimizeOptions,
  type EsmOptimizeOptionsInput,
  EsmOptimizeOptionsSchema,
} from "./esm/optimize/optimize-options.js";
export {
  CfnSettingsSchema,
  type EsmOptimizeResult,
  EsmOptimizeResultSchema,
  type MappingOptimization,
  MappingOptimizationSchema,
  type Prediction,
  PredictionSchema,
} from "./esm/optimize/optimize-result.js";
export { runSimulation, SimulationTooLongError } from "./esm/simulation/run-simulation.js";
export type {
  ArrivalRates,
  FunctionModel,
  KafkaMapping,
  MappingModel,
  Scenario,
  SqsMapping,
  StreamMapping,
} from "./esm/simulation/scenario.js";
export { type EsmSimulateIo, simulateEventSourceMapping } from "./esm/simulation/simulate.js";
export {
  ESM_SIMULATE_DEFAULTS,
  type EsmSimulateOptions,
  type EsmSimulateOptionsInput,
  EsmSimulateOptionsSchema,
} from "./esm/simulation/simulate-options.js";
export {
  type EsmSimulationResult,
  EsmSimulationResultSchema,
  type ModelledFigure,
  ModelledFigureSchema,
  type SimulationPoint,
  SimulationPointSchema,
} from "./esm/simulation/simulation-result.js";
export { MEMORY_MB_PER_VCPU, vcpuShare } from "./lambda/cpu-share.js";
export {
  DEFAULTS,
  describeRange,
  EPHEMERAL_STORAGE_MB,
  isWithin,
  MEMORY_MB,
  PAYLOAD_LIMIT_BYTES,
  type Range,
  TIMEOUT_SECONDS,
} from "./lambda/limits.js";
export {
  formatReportJson,
  formatReportText,
  looksLikeReport,
  parseReport,
  type Report,
  type ReportParseResult,
  ReportSchema,
} from "./lambda/report-line.js";
export {
  isDeprecated,
  RUNTIMES,
  type RuntimeFacts,
  type RuntimeFamily,
  runtimeFacts,
} from "./lambda/runtimes.js";
export { type HttpServing, serveHttp } from "./mcp/http.js";
export {
  DEFAULT_HTTP_PORT,
  type McpOptions,
  type McpOptionsInput,
  McpOptionsSchema,
} from "./mcp/mcp-options.js";
export { createMcpServer, type McpServerOptions } from "./mcp/server.js";
export { serveStdio } from "./mcp/stdio.js";
export { type MeasureHooks, measureFunctions } from "./metrics/measure-functions.js";
export {
  DurationSchema,
  METRICS_DEFAULTS,
  type MetricsOptions,
  type MetricsOptionsInput,
  MetricsOptionsSchema,
} from "./metrics/metrics-options.js";
export {
  type LastTune,
  LastTuneSchema,
  type MetricsReport,
  MetricsReportSchema,
} from "./metrics/metrics-report.js";
export { fieldName, flagName, type OptionName, parseOptions } from "./options.js";
export {
  planTableBilling,
  type TableBillingIo,
} from "./planning/dynamodb/plan-table-billing.js";
export {
  type BillingMode,
  type CapacityFigures,
  type CapacityPrices,
  DEFAULT_TARGET_UTILIZATION,
  type IndexFigures,
  type IndexTraffic,
  modelTableBilling,
  provisionedFor,
  type TableBillingModel,
  type TableBillingSettings,
  type TableTraffic,
} from "./planning/dynamodb/table-billing.js";
export {
  TABLE_BILLING_DEFAULTS,
  type TableBillingOptions,
  type TableBillingOptionsInput,
  TableBillingOptionsSchema,
} from "./planning/dynamodb/table-billing-options.js";
export {
  BILLING_MODES,
  type TableBillingResult,
  TableBillingResultSchema,
} from "./planning/dynamodb/table-billing-result.js";
export { type PlanBillingIo, planBilling } from "./planning/plan-billing.js";
export {
  PLAN_DEFAULTS,
  type PlanOptions,
  type PlanOptionsInput,
  PlanOptionsSchema,
} from "./planning/plan-options.js";
export {
  BILLING_MODELS,
  type BillingModel,
  type BillingOption,
  type CostLine,
  type PlanResult,
  PlanResultSchema,
  TRAFFIC_PATTERNS,
  type TrafficPattern,
  type TrafficShape,
} from "./planning/plan-result.js";
export {
  billedDurationMs,
  costPerInvocation,
  gbSeconds,
  type InvocationCost,
  type InvocationShape,
  type MonthlyCost,
  type MonthlyWorkload,
  monthlyCost,
  type ProvisionedConcurrencyCost,
  type ProvisionedConcurrencyWorkload,
  provisionedConcurrencyMonthlyCost,
  responseStreamingCost,
  type SnapStartCost,
  snapStartCost,
} from "./pricing/cost.js";
export {
  type CostEstimate,
  CostEstimateSchema,
  type CostInput,
  estimateCost,
} from "./pricing/cost-estimate.js";
export {
  COST_DEFAULTS,
  type CostOptions,
  type CostOptionsInput,
  CostOptionsSchema,
} from "./pricing/cost-options.js";
export {
  BUNDLED_DYNAMODB_PRICES,
  type DynamoDbPriceSheet,
  type DynamoDbPrices,
  DynamoDbPricesSchema,
  loadDynamoDbPrices,
} from "./pricing/dynamodb-prices.js";
export {
  type LogIngestionPrice,
  logIngestionCostUsd,
  logIngestionPrice,
} from "./pricing/logs-cost.js";
export { priceConfiguration } from "./pricing/price-configuration.js";
export {
  ARCHITECTURES,
  type Architecture,
  arm64SavingPerGbSecond,
  BUNDLED_PRICE_TABLE,
  knownRegions,
  type PriceBasis,
  type Prices,
  type PricesUsed,
  PricesUsedSchema,
  type PriceTable,
  PriceTableError,
  PriceTableSchema,
  parsePriceTable,
  priceBasis,
  pricesFor,
} from "./pricing/price-table.js";
export { renderCsv } from "./report/csv-report.js";
export { renderEsmOptimizeHtml } from "./report/esm-optimize-html.js";
export { renderEsmOptimizeText, summarizeEsmOptimization } from "./report/esm-optimize-text.js";
export { renderEsmSimulationHtml } from "./report/esm-simulation-html.js";
export { renderEsmSimulationText, summarizeEsmSimulation } from "./report/esm-simulation-text.js";
export { renderHtmlReport } from "./report/html-report.js";
export { renderPlanHtml } from "./report/plan-html.js";
export { renderPlanText, summarizePlan } from "./report/plan-text.js";
export { renderTableBillingText, summarizeTableBilling } from "./report/table-billing-text.js";
export { bootstrapMeanInterval, summarize } from "./statistics.js";
export { type CodeFolderHash, hashCodeFolder } from "./tuning/code-hash.js";
export {
  type Comparison,
  ComparisonSchema,
  compareRuns,
  differentFunctions,
} from "./tuning/compare.js";
export {
  COMPARE_DEFAULTS,
  type CompareOptions,
  type CompareOptionsInput,
  CompareOptionsSchema,
} from "./tuning/compare-options.js";
export {
  type CompareHooks,
  compareSavedRuns,
  type SavedRunsComparison,
} from "./tuning/compare-saved-runs.js";
export { currentCodeSha256 } from "./tuning/current-code.js";
export { type HostLoadReading, readHostLoad } from "./tuning/host-load.js";
export { LambdaTarget } from "./tuning/lambda-target.js";
export {
  type PowerTuningOutput,
  PowerTuningOutputSchema,
  powerTuningOutput,
} from "./tuning/power-tuning-output.js";
export {
  RECOVERY_STATUSES,
  type RecoverOptions,
  type RecoverReport,
  RecoverReportSchema,
  type RecoveryEntry,
  RecoveryEntrySchema,
  type RecoveryStatus,
  recoverJournals,
  recoveryIncomplete,
} from "./tuning/recover.js";
export {
  runTuning,
  TuningAborted,
  TuningFailed,
  type TuningProgress,
  type TuningRun,
  type TuningTarget,
} from "./tuning/run-tuning.js";
export { judgeRun } from "./tuning/run-verdict.js";
export {
  RUNS_FOLDER,
  readSavedTuneResults,
  readTuneResultFile,
  resolveTuneResultFile,
  type SavedTuneResult,
  TuneResultFileError,
} from "./tuning/saved-runs.js";
export type { TuningSettings } from "./tuning/settings.js";
export { recommend } from "./tuning/strategies.js";
export {
  DEFAULT_MAX_TUNE_AGE_DAYS,
  describeFreshness,
  isStale,
  type TuneFreshness,
  tuneFreshness,
} from "./tuning/tune-freshness.js";
export {
  measuredFunction,
  type TunedCode,
  TunedCodeSchema,
  type TuneResult,
  TuneResultSchema,
  type Verdict,
  VerdictSchema,
} from "./tuning/tune-result.js";
export { VERSION } from "./version.js";
