import { backstageCatalog } from './backstage/catalog';
import type { ExportedFile } from './types';
import { ExportFormat } from '../model/exports';
import type { Organization } from '../model/organization';
import type { Plan } from '../resolve/plan';

/** The files of every export the organization opts into (`OrganizationProps.exports`), by format. @internal */
export function renderExports(org: Organization, plan: Plan): ExportedFile[] {
  const files: ExportedFile[] = [];
  if (org.exports.includes(ExportFormat.BACKSTAGE)) files.push(...backstageCatalog(org, plan));
  return files;
}
