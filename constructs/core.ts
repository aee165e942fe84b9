/**
 * `ml-platform-constructs`: the engine-neutral values users pass to every construct (images, models, residency
 * policies), the bill of materials and the one error type. Loads no engine library.
 *
 * Every entry point lists its exports by name: what is listed is the public API, recorded in api/core.api.md
 * (`npm run api:update`); plan functions, assertion helpers and acknowledgement lists stay internal and the
 * library's own code imports them from lib/ by path.
 */
export { MlPlatformError, isMlPlatformError, type ErrorScope, type MlPlatformErrorOptions } from '../lib/core/errors';
export { ContainerImage, type MutableTagOptions } from '../lib/core/container-image';
export { ModelArtifact, type ModelArtifactOptions, type ModelUriScheme } from '../lib/core/model-artifact';
export type { ModelInputs } from '../lib/core/model-inputs';
export { Residency } from '../lib/core/residency';
export { PLATFORM_TAGS, type PlatformOwner } from '../lib/core/platform-owner';
export { PLATFORM_DATA_LAYOUT } from '../lib/core/platform-layout';
export { PlatformCatalog, type CatalogDocument, type CatalogLink, type CatalogNode, type CatalogNodeKind, type CatalogOwner, type CatalogRelation, type PlatformCatalogProps } from '../lib/core/platform-catalog';
export {
  PlatformDashboard, type CloudWatchExpressionQuery, type CloudWatchMetricQuery, type DashboardMetric, type DashboardRow, type DashboardThreshold,
  type DashboardUnit, type DashboardWidget, type PlacedRow, type PlacedWidget, type PlatformDashboardProps, type SingleValueWidget, type TextWidget,
  type TimeSeriesWidget,
} from '../lib/core/platform-dashboard';
export type { GrafanaDashboardOptions } from '../lib/core/grafana-dashboard';
export { SbomDocument, type SbomDatasetOptions, type SbomServiceOptions, type SbomSubject } from '../lib/core/sbom';
