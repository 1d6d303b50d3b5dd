// The pricing and budget settings. All are read from user settings only (scope "application"): a cloned
// repository must not be able to raise a spending limit, lower a price or turn a confirmation off.
import * as vscode from 'vscode';
import type { BudgetSettings } from '../../core/pricing/budget';
import { DEFAULT_AGENT_DAILY_LIMIT, type GateSettings } from '../../core/gate/policy';
import { parsePricingSetting, type SettingPrice } from '../../core/pricing/prices';

const SECTION = 'seedance';

function userValue<T>(key: string, fallback: T): T {
  const inspected = vscode.workspace.getConfiguration(SECTION).inspect<T>(key);
  return inspected?.globalValue ?? inspected?.defaultValue ?? fallback;
}

export function readPricingSetting(): { prices: { [model: string]: SettingPrice }; problems: string[] } {
  return parsePricingSetting(userValue<unknown>('pricing', {}));
}

export function readBudgetSettings(): BudgetSettings {
  const limit = Number(userValue<unknown>('budget.monthlyLimit', 0));
  const confirm = Number(userValue<unknown>('budget.confirmAbove', 1));
  return {
    monthlyLimit: Number.isFinite(limit) && limit > 0 ? limit : 0,
    confirmAbove: Number.isFinite(confirm) && confirm >= 0 ? confirm : 1,
  };
}

/** Everything the gate's policy reads, from user settings only. */
export function readGateSettings(): GateSettings {
  const budget = readBudgetSettings();
  const agent = Number(userValue<unknown>('budget.agentDailyLimit', DEFAULT_AGENT_DAILY_LIMIT));
  const confirm = userValue<unknown>('confirmBeforeSubmit', true);
  return {
    ...budget,
    agentDailyLimit: Number.isFinite(agent) && agent >= 0 ? agent : DEFAULT_AGENT_DAILY_LIMIT,
    confirmBeforeSubmit: typeof confirm === 'boolean' ? confirm : true,
  };
}

/** True when a configuration change touches pricing or the budget. */
export function affectsPricing(e: vscode.ConfigurationChangeEvent): boolean {
  return e.affectsConfiguration(`${SECTION}.pricing`) || e.affectsConfiguration(`${SECTION}.budget`) || e.affectsConfiguration(`${SECTION}.apiBaseUrl`);
}

/** Opens the Settings editor at a pricing setting (the "set it" action next to "price unknown"). */
export function openPricingSettings(key: 'pricing' | 'budget.monthlyLimit' | 'budget.confirmAbove' | 'budget.agentDailyLimit' = 'pricing'): Thenable<unknown> {
  return vscode.commands.executeCommand('workbench.action.openSettings', `${SECTION}.${key}`);
}
