/** One line of a memory plan: what the engine reserves, in the engine's own log wording where it has one. */
export interface PlanLine {
	label: string;
	bytes?: number;
	/** The line as the engine logs it (or would), numbers filled in. */
	text: string;
	/** Where the number comes from (default, flag, formula), in words. */
	source?: string;
}
