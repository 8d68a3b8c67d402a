import * as vscode from 'vscode';
import type { ContentLanguage } from './core/concept';
import zhCn from '../l10n/bundle.l10n.zh-cn.json';
import { contentLanguage } from './settings';

function displayLanguage(): ContentLanguage {
  return vscode.env.language.toLowerCase().startsWith('zh') ? 'zh-cn' : 'en';
}

/**
 * Our UI strings in the content language (`mlConceptLens.contentLanguage`; `auto` is VS Code's display
 * language), so a Chinese page never sits under an English toolbar. When that is the display language
 * — the usual case — this is vscode.l10n.t; otherwise the other language of l10n/ is used directly.
 */
export function localize(lang: ContentLanguage, message: string, ...args: Array<string | number>): string {
  if (lang === displayLanguage()) return vscode.l10n.t(message, ...args);
  const text = lang === 'zh-cn' ? ((zhCn as Record<string, string>)[message] ?? message) : message;
  return text.replace(/\{(\d+)\}/g, (m, n: string) => String(args[Number(n)] ?? m));
}

/** localize() in the current content language. */
export function ui(message: string, ...args: Array<string | number>): string {
  return localize(contentLanguage(), message, ...args);
}
