/* The producer's patterns by compute: one rectangle of one colour per dispatch, stored to the
 * window's image through a view of its own format (the store converts, as a clear does). */
#version 450
layout(local_size_x = 16, local_size_y = 16) in;
layout(set = 0, binding = 0) uniform writeonly image2D img;
layout(push_constant) uniform Params
{
	ivec4 rect; /* x, y, width, height */
	vec4 colour;
}
p;

void main()
{
	ivec2 at = ivec2(gl_GlobalInvocationID.xy);
	if (any(greaterThanEqual(at, p.rect.zw)))
		return;
	imageStore(img, p.rect.xy + at, p.colour);
}
