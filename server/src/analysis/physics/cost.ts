/**
 * $ per million output tokens and joules per token. Derivation in docs/physics.md § "Cost and energy".
 */
import type { HardwareSpec } from '../catalog/types';
import { POWER_LOAD_FACTOR } from './efficiency';
import type { CostEstimate, PricingInput } from './types';

/**
 * Marginal cost of a busy machine: $0.12/kWh (US commercial average order of magnitude), purchase price
 * spread over 3 years, utilization 1 (every hour produces tokens). Lower utilization raises the capital
 * share per token.
 */
export const DEFAULT_PRICING: PricingInput = {
	electricityUsdPerKwh: 0.12,
	amortizationYears: 3,
	utilization: 1,
};

const HOURS_PER_YEAR = 8760;

export function estimateCost(
	hardware: HardwareSpec,
	devices: number,
	tokensPerSecondTotal: number,
	pricing: PricingInput = DEFAULT_PRICING,
): CostEstimate | undefined {
	if (!(tokensPerSecondTotal > 0)) return undefined;
	const hasPrice = hardware.priceUsd !== undefined && hardware.priceUsd > 0;
	const hasPower = hardware.tdpW !== undefined && hardware.tdpW > 0;
	if (!hasPrice && !hasPower) return undefined;
	const powerW = hasPower ? (hardware.tdpW as number) * POWER_LOAD_FACTOR * devices : 0;
	const capexPerHour = hasPrice
		? ((hardware.priceUsd as number) * devices) / (pricing.amortizationYears * HOURS_PER_YEAR)
		: 0;
	const energyPerHour = (powerW / 1000) * pricing.electricityUsdPerKwh;
	const u = Math.min(1, Math.max(1e-6, pricing.utilization));
	const tokensPerHour = tokensPerSecondTotal * 3600;
	const usdPerToken = capexPerHour / (tokensPerHour * u) + energyPerHour / tokensPerHour;
	const parts = [
		hasPrice
			? `$${Math.round(hardware.priceUsd as number).toLocaleString('en-US')} × ${devices} over ${pricing.amortizationYears} years`
			: 'no purchase price in the catalog: energy only',
		hasPower
			? `${Math.round(powerW)} W (${Math.round(POWER_LOAD_FACTOR * 100)} % of ${hardware.tdpW} W TDP × ${devices}) at $${pricing.electricityUsdPerKwh}/kWh`
			: 'no TDP in the catalog: capital only',
		`utilization ${pricing.utilization}`,
	];
	return {
		usdPerMillionTokens: usdPerToken * 1e6,
		joulesPerToken: powerW / tokensPerSecondTotal,
		basis: parts.join('; '),
	};
}
