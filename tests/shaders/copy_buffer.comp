/* handoff-bench-vk-copy: one frame buffer to buffer by compute, 16 bytes an invocation: the
 * device's memory bandwidth, as near as a shader gets to it. */
#version 450
layout(local_size_x = 256) in;
layout(set = 0, binding = 0, std430) writeonly buffer Dst
{
	uvec4 dst[];
};
layout(set = 0, binding = 1, std430) readonly buffer Src
{
	uvec4 src[];
};
layout(push_constant) uniform Params
{
	ivec2 size; /* x: uvec4s to copy */
}
p;

void main()
{
	uint i = gl_GlobalInvocationID.x + gl_GlobalInvocationID.y * gl_NumWorkGroups.x * 256u;
	if (i < uint(p.size.x))
		dst[i] = src[i];
}
