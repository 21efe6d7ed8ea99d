/** `GET /services/data/vXX.X/sobjects/EventLogFile/describe`: the sObject describe, in Salesforce's shape. */
import { eventTypesAt } from './data';
import type { FieldDef, FieldType } from './records';
import { fieldsForVersion } from './records';

const SOAP_TYPES: Record<FieldType, string> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  picklist: 'xsd:string',
  string: 'xsd:string',
  datetime: 'xsd:dateTime',
  base64: 'xsd:base64Binary',
  double: 'xsd:double',
  int: 'xsd:int',
  boolean: 'xsd:boolean',
};

/** `ApiTotalUsage` → `Api Total Usage`. */
function labelOf(value: string): string {
  return value.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2');
}

function picklist(values: readonly string[]): object[] {
  return values.map((value) => ({ active: true, defaultValue: false, label: labelOf(value), validFor: null, value }));
}

function fieldDescribe(d: FieldDef, eventTypes: readonly string[]): object {
  const text = d.type === 'string' || d.type === 'picklist';
  const precision = d.name === 'LogFileLength' || d.name === 'ApiVersion' ? 18 : 0;
  return {
    aggregatable: d.groupable || d.type === 'double' || d.type === 'datetime',
    aiPredictionField: false,
    autoNumber: false,
    byteLength: text ? d.length * 3 : d.type === 'id' || d.type === 'reference' ? 18 : 0,
    calculated: false,
    calculatedFormula: null,
    cascadeDelete: false,
    caseSensitive: false,
    compoundFieldName: null,
    controllerName: null,
    createable: false,
    custom: false,
    defaultValue: d.type === 'boolean' ? false : null,
    defaultValueFormula: null,
    defaultedOnCreate: d.type === 'boolean' || d.name === 'Id' || d.name.endsWith('Date') || d.name.endsWith('ById'),
    dependentPicklist: false,
    deprecatedAndHidden: false,
    digits: d.type === 'int' ? 9 : 0,
    displayLocationInDecimal: false,
    encrypted: false,
    externalId: false,
    extraTypeInfo: null,
    filterable: d.filterable,
    filteredLookupInfo: null,
    formulaTreatNullNumberAsZero: false,
    groupable: d.groupable,
    highScaleNumber: false,
    htmlFormatted: false,
    idLookup: d.name === 'Id',
    inlineHelpText: null,
    label: d.label,
    length: text ? d.length : 0,
    mask: null,
    maskType: null,
    name: d.name,
    nameField: false,
    namePointing: false,
    nillable: d.nillable,
    permissionable: false,
    picklistValues:
      d.name === 'EventType' ? picklist(eventTypes) : d.name === 'Interval' ? picklist(['Daily', 'Hourly']) : [],
    polymorphicForeignKey: false,
    precision,
    queryByDistance: false,
    referenceTargetField: null,
    referenceTo: d.referenceTo ? [d.referenceTo] : [],
    relationshipName: d.relationshipName ?? null,
    relationshipOrder: null,
    restrictedDelete: false,
    restrictedPicklist: d.type === 'picklist',
    scale: d.name === 'ApiVersion' ? 1 : 0,
    searchPrefilterable: false,
    soapType: SOAP_TYPES[d.type],
    sortable: d.sortable,
    type: d.type,
    unique: false,
    updateable: false,
    writeRequiresMasterRead: false,
  };
}

/**
 * The describe result for an API version. The EventType picklist holds the values that exist at that version, plus
 * the org's own `eventTypes`; `Interval` is absent in orgs without hourly files ("available to customers with
 * hourly Event Log Files", EventLogFile object reference).
 */
export function describeEventLogFile(
  versionText: string,
  eventTypes: readonly string[],
  opts: { hourly: boolean },
): object {
  const version = Number(versionText);
  const values = eventTypesAt(version, eventTypes);
  const base = `/services/data/v${versionText}/sobjects/EventLogFile`;
  return {
    actionOverrides: [],
    activateable: false,
    associateEntityType: null,
    associateParentEntity: null,
    childRelationships: [],
    compactLayoutable: false,
    createable: false,
    custom: false,
    customSetting: false,
    deepCloneable: false,
    defaultImplementation: null,
    deletable: false,
    deprecatedAndHidden: false,
    extendedBy: null,
    extendsInterfaces: null,
    feedEnabled: false,
    fields: fieldsForVersion(version, opts).map((d) => fieldDescribe(d, values)),
    hasSubtypes: false,
    implementedBy: null,
    implementsInterfaces: null,
    isInterface: false,
    isSubtype: false,
    keyPrefix: '0AT',
    label: 'Event Log File',
    labelPlural: 'Event Log Files',
    layoutable: false,
    listviewable: null,
    lookupLayoutable: null,
    mergeable: false,
    mruEnabled: false,
    name: 'EventLogFile',
    namedLayoutInfos: [],
    networkScopeFieldName: null,
    queryable: true,
    recordTypeInfos: [],
    replicateable: false,
    retrieveable: true,
    searchLayoutable: false,
    searchable: false,
    sobjectDescribeOption: 'FULL',
    supportedScopes: [{ label: 'All event log files', name: 'everything' }],
    triggerable: false,
    undeletable: false,
    updateable: false,
    urls: { rowTemplate: `${base}/{ID}`, describe: `${base}/describe`, sobject: base },
  };
}
