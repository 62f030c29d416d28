export {
	applySuppressions,
	UNUSED_SUPPRESSION,
	type SuppressedFinding,
	type SuppressionResult,
} from './apply';
export { commentStyleFor, scanDirectives, type CommentStyle, type SuppressionDirective } from './directives';
export { suppressionEdit } from './insert';
