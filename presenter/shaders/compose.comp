/*
 * The presenter's composition, one rectangle of the output per dispatch, one pixel per
 * invocation. Built three times (see presenter/CMakeLists.txt): SOURCE_IMAGE reads a sampled
 * image (a client's Vulkan image: the view converts its format), SOURCE_BUFFER reads client
 * memory as words (a wl_shm pool or memfd image, in place), CLEAR fills with one colour.
 *
 * The output is B8G8R8A8 memory seen through an R32_UINT storage view: a pixel is the word
 * 0xAARRGGBB, written whole, so every 8-bit value is exact. Results follow pixman, which the
 * CPU renderer uses: 8-bit formats in integers (OVER is s + d * (255 - sa) / 255, rounded as
 * pixman's MUL_UN8, added with saturation), wider ones in float, stored as
 * pixman_float_to_unorm does.
 */
#version 450

layout(local_size_x = 16, local_size_y = 16) in;

layout(set = 0, binding = 0, r32ui) uniform uimage2D dst;
#if defined(SOURCE_IMAGE)
layout(set = 0, binding = 1) uniform sampler2D src;
#elif defined(SOURCE_BUFFER)
layout(set = 0, binding = 1, std430) readonly buffer Src
{
	uint words[];
}
src;
#endif

layout(push_constant) uniform Params
{
	ivec2 rect_min; /* output pixels [rect_min, rect_min + rect_size) */
	ivec2 rect_size;
	ivec2 box_min; /* the window's box in the output */
	ivec2 box_size;
	ivec2 src_size;
	uint flags;
	uint format; /* SOURCE_BUFFER: FMT_*; CLEAR: the colour, 0x00RRGGBB */
	uint offset; /* SOURCE_BUFFER: the word of the first pixel */
	uint stride; /* SOURCE_BUFFER: words per row */
}
p;

const uint BLEND = 1u;    /* OVER (premultiplied alpha); else SRC */
const uint Y_INVERT = 2u; /* the source's first row is the bottom one */
const uint OPAQUE = 4u;   /* the format's alpha bits are padding: alpha is 1 */
const uint WIDE = 8u;     /* more than 8 bits a channel: blend in float */
const uint SCALED = 16u;  /* box_size differs from src_size: filter linearly */

const uint FMT_BGRA8 = 0u, FMT_RGBA8 = 1u, FMT_RGB10A2 = 2u, FMT_RGBA16F = 3u;

uint mul_un8(uint a, uint b)
{
	uint t = a * b + 0x80u;
	return ((t >> 8) + t) >> 8;
}

uint float_to_un8(float f)
{
	uint u = uint(clamp(f, 0.0, 1.0) * 256.0);
	return u - (u >> 8);
}

#if defined(SOURCE_BUFFER)
vec4 fetch(ivec2 t)
{
	t = clamp(t, ivec2(0), p.src_size - 1);
	if (p.format == FMT_RGBA16F) {
		uint i = p.offset + uint(t.y) * p.stride + 2u * uint(t.x);
		return vec4(unpackHalf2x16(src.words[i]), unpackHalf2x16(src.words[i + 1u]));
	}
	uint w = src.words[p.offset + uint(t.y) * p.stride + uint(t.x)];
	if (p.format == FMT_RGB10A2)
		return vec4(uvec4(w, w >> 10, w >> 20, w >> 30) & uvec4(1023u, 1023u, 1023u, 3u)) *
		       vec4(1.0 / 1023.0, 1.0 / 1023.0, 1.0 / 1023.0, 1.0 / 3.0);
	uvec4 c = (uvec4(w) >> uvec4(0, 8, 16, 24)) & 255u;
	return vec4(p.format == FMT_BGRA8 ? c.zyxw : c) * (1.0 / 255.0);
}
#endif

vec4 source(ivec2 local)
{
	bool invert = (p.flags & Y_INVERT) != 0u;
#if defined(SOURCE_IMAGE)
	if ((p.flags & SCALED) == 0u)
		return texelFetch(src, ivec2(local.x, invert ? p.src_size.y - 1 - local.y : local.y),
				  0);
	vec2 uv = (vec2(local) + 0.5) / vec2(p.box_size);
	return textureLod(src, vec2(uv.x, invert ? 1.0 - uv.y : uv.y), 0.0);
#elif defined(SOURCE_BUFFER)
	if ((p.flags & SCALED) == 0u)
		return fetch(ivec2(local.x, invert ? p.src_size.y - 1 - local.y : local.y));
	vec2 uv = (vec2(local) + 0.5) / vec2(p.box_size);
	vec2 at = vec2(uv.x, invert ? 1.0 - uv.y : uv.y) * vec2(p.src_size) - 0.5;
	ivec2 t = ivec2(floor(at));
	vec2 f = at - floor(at);
	return mix(mix(fetch(t), fetch(t + ivec2(1, 0)), f.x),
		   mix(fetch(t + ivec2(0, 1)), fetch(t + ivec2(1, 1)), f.x), f.y);
#else
	return vec4(0.0);
#endif
}

void main()
{
	ivec2 at = ivec2(gl_GlobalInvocationID.xy);
	if (any(greaterThanEqual(at, p.rect_size)))
		return;
	ivec2 pos = p.rect_min + at;
#if defined(CLEAR)
	imageStore(dst, pos, uvec4(0xff000000u | p.format));
#else
	vec4 c = source(pos - p.box_min);
	if ((p.flags & OPAQUE) != 0u)
		c.a = 1.0;
	uvec3 rgb;
	if ((p.flags & WIDE) == 0u) {
		uvec4 s = uvec4(round(clamp(c, 0.0, 1.0) * 255.0));
		rgb = s.rgb;
		if ((p.flags & BLEND) != 0u && s.a < 255u) {
			uint d = imageLoad(dst, pos).r;
			uvec3 drgb = (uvec3(d) >> uvec3(16, 8, 0)) & 255u;
			uint ia = 255u - s.a;
			rgb = min(s.rgb + uvec3(mul_un8(drgb.r, ia), mul_un8(drgb.g, ia),
						mul_un8(drgb.b, ia)),
				  uvec3(255u));
		}
	} else {
		vec3 f = c.rgb;
		if ((p.flags & BLEND) != 0u && c.a < 1.0) {
			uint d = imageLoad(dst, pos).r;
			vec3 drgb = vec3((uvec3(d) >> uvec3(16, 8, 0)) & 255u) / 255.0;
			f = c.rgb + drgb * (1.0 - c.a);
		}
		rgb = uvec3(float_to_un8(f.r), float_to_un8(f.g), float_to_un8(f.b));
	}
	imageStore(dst, pos, uvec4(0xff000000u | (rgb.r << 16) | (rgb.g << 8) | rgb.b));
#endif
}
