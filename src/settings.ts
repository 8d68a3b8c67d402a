import * as vscode from 'vscode';
import type { ContentLanguage } from './core/concept';

export const SECTION = 'mlConceptLens';
export const HOVER_ENABLED = 'hover.enabled';
export const HOVER_LANGUAGES = 'hover.languages';
export const HOVER_TYPESET_MATH = 'hover.typesetMath';
export const CONTENT_LANGUAGE = 'contentLanguage';
export const NOTES_ENABLED = 'notes.enabled';
export const NOTES_FILES = 'notes.files';

function config(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(SECTION);
}

export function hoverEnabled(): boolean {
  return config().get<boolean>(HOVER_ENABLED, true);
}

export function hoverTypesetMath(): boolean {
  return config().get<boolean>(HOVER_TYPESET_MATH, true);
}

export function hoverLanguages(): string[] {
  return config().get<string[]>(HOVER_LANGUAGES, []);
}

/** The content language: the setting, or VS Code's display language when it is `auto`. */
export function contentLanguage(): ContentLanguage {
  const chosen = config().get<string>(CONTENT_LANGUAGE, 'auto');
  if (chosen === 'en' || chosen === 'zh-cn') return chosen;
  return vscode.env.language.toLowerCase().startsWith('zh') ? 'zh-cn' : 'en';
}

/**
 * The notes globs that apply to one workspace folder (`undefined`: a window without folders), read with
 * the folder's URI because the setting is resource-scoped. In Restricted Mode a cloned repository must
 * not choose what is read, and the defaults match files any repository can ship, so only globs from the
 * user's own settings apply there.
 */
export function notesGlobs(folder: vscode.WorkspaceFolder | undefined): string[] {
  // notes.enabled is window-scoped: asking for it with a folder logs a warning.
  if (!vscode.workspace.getConfiguration(SECTION).get<boolean>(NOTES_ENABLED, true)) return [];
  const scoped = vscode.workspace.getConfiguration(SECTION, folder?.uri ?? null);
  if (vscode.workspace.isTrusted) return scoped.get<string[]>(NOTES_FILES, []);
  return scoped.inspect<string[]>(NOTES_FILES)?.globalValue ?? [];
}

export function affects(event: vscode.ConfigurationChangeEvent, key: string): boolean {
  return event.affectsConfiguration(`${SECTION}.${key}`);
}
