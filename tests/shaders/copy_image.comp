/* handoff-bench-vk-copy: one frame image to image by compute, texel for texel: a sampled read
 * of the source, a 32-bit store through the destination's R32_UINT view (as the presenter's
 * composition writes). */
#version 450
layout(local_size_x = 16, local_size_y = 16) in;
layout(set = 0, binding = 0, r32ui) uniform writeonly uimage2D dst;
layout(set = 0, binding = 1) uniform sampler2D src;
layout(push_constant) uniform Params
{
	ivec2 size;
}
p;

void main()
{
	ivec2 at = ivec2(gl_GlobalInvocationID.xy);
	if (any(greaterThanEqual(at, p.size)))
		return;
	uvec4 c = uvec4(round(texelFetch(src, at, 0) * 255.0));
	imageStore(dst, at, uvec4(c.a << 24 | c.r << 16 | c.g << 8 | c.b));
}
