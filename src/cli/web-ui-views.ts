/**
 * The Web UI list views an operator needs, as visibility queries (the same text works in the UI's search box and in
 * `temporal workflow list --query`): a source's thousands of file workflows stay out of the way until asked for.
 */
import { SOURCE_ID } from '../workflows/search-attributes';

export interface WebUiView {
  name: 'sources' | 'files' | 'failed' | 'backfills';
  title: string;
  query: string;
}

const TYPES = {
  source: 'salesforceSourceWorkflow',
  file: 'eventLogFileWorkflow',
  backfill: 'eventLogBackfillWorkflow',
} as const;

/** The views of every source, or of one. */
export function webUiViews(sourceId?: string): WebUiView[] {
  const of = sourceId ? ` AND ${SOURCE_ID.name}="${sourceId}"` : '';
  const whose = sourceId ? ` of ${sourceId}` : '';
  return [
    {
      name: 'sources',
      title: sourceId ? `source ${sourceId}` : 'sources',
      query: `WorkflowType="${TYPES.source}"${of}`,
    },
    { name: 'files', title: `files${whose}`, query: `WorkflowType="${TYPES.file}"${of}` },
    {
      name: 'failed',
      title: `failed files${whose}`,
      query: `WorkflowType="${TYPES.file}" AND ExecutionStatus="Failed"${of}`,
    },
    {
      name: 'backfills',
      title: `running backfills${whose}`,
      query: `WorkflowType="${TYPES.backfill}" AND ExecutionStatus="Running"${of}`,
    },
  ];
}

/** The Web UI page listing a view: `<ui>/namespaces/<ns>/workflows?query=…`. */
export function webUiViewUrl(uiUrl: string, namespace: string, view: WebUiView): string {
  return `${uiUrl.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(namespace)}/workflows?query=${encodeURIComponent(view.query)}`;
}
