/**
 * Tiny DOM builders. Strings always become text nodes (never HTML), so a model name such as
 * `<img src=x onerror=alert(1)>` from a user's file is shown literally. There is no innerHTML in the webview.
 */
type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | undefined | null>;

function append(el: Element, children: Child[]): void {
	for (const c of children) {
		if (c === null || c === undefined || c === false) continue;
		el.append(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
	}
}

function setAttrs(el: Element, attrs: Attrs | undefined): void {
	if (!attrs) return;
	for (const [k, v] of Object.entries(attrs)) {
		// `style` attributes are blocked by the CSP (no 'unsafe-inline'); use classes or el.style instead.
		if (k === 'style') throw new Error('use classes or CSSOM, not style attributes');
		if (v === undefined || v === null || v === false) continue;
		el.setAttribute(k, v === true ? '' : String(v));
	}
}

/** An HTML element with attributes and text/element children. */
export function h<K extends keyof HTMLElementTagNameMap>(
	tag: K,
	attrs?: Attrs,
	...children: Child[]
): HTMLElementTagNameMap[K];
export function h(tag: string, attrs?: Attrs, ...children: Child[]): HTMLElement;
export function h(tag: string, attrs?: Attrs, ...children: Child[]): HTMLElement {
	const el = document.createElement(tag);
	setAttrs(el, attrs);
	append(el, children);
	return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** An SVG element; children as for `h`. */
export function s<K extends keyof SVGElementTagNameMap>(
	tag: K,
	attrs?: Attrs,
	...children: Child[]
): SVGElementTagNameMap[K] {
	const el = document.createElementNS(SVG_NS, tag);
	setAttrs(el, attrs);
	append(el, children);
	return el;
}

/** Replaces an element's children. */
export function fill(el: Element, ...children: Child[]): void {
	el.replaceChildren();
	append(el, children);
}
