// A fixed-argument face of the libvips calls NewsMedia needs (libvips's own API is variadic, which Swift cannot
// call). Every function returns 0 on success, or -1 with a message in `error`.
#ifndef VIPS_BRIDGE_H
#define VIPS_BRIDGE_H

#include <stddef.h>

/// Starts libvips once per process: no operation cache (memory stays bounded), one worker thread per image.
int shp_vips_start(void);

/// What a file holds, read from its header only (nothing is decoded).
typedef struct {
    /// The loader libvips chose by the file's content ("jpegload", "pngload", ...).
    char loader[48];
    /// The stored size, before orientation.
    int width;
    int height;
    /// The EXIF orientation, 1 to 8 (1 when there is none).
    int orientation;
    /// Frames (pages) in the file: more than one for an animation.
    int pages;
} shp_vips_header;

int shp_vips_inspect(const char *path, shp_vips_header *header, char *error, size_t error_length);

/// Writes a rendition of `input` to `output`, upright (EXIF orientation applied), in sRGB, with every piece of
/// metadata stripped (EXIF, GPS, XMP, the colour profile):
/// - `height` 0: `width` wide, the original's aspect;
/// - otherwise exactly `width` × `height`, scaled to cover and cut around the focal point (`focus_x`, `focus_y`,
///   0…1 of the upright image).
/// `format` 0 writes JPEG (transparency flattened onto white), 1 WebP. `quality` is 1…100. A truncated or corrupt
/// file is an error, not a grey picture.
int shp_vips_render(
    const char *input, const char *output, int width, int height, double focus_x, double focus_y, int format,
    int quality, char *error, size_t error_length);

/// One rendition to write: `height` 0 for the original's shape; `format` 0 JPEG, 1 WebP.
typedef struct {
    int width;
    int height;
    int format;
    const char *output;
} shp_vips_target;

/// Writes every one of `targets` as ``shp_vips_render`` would, decoding the photo once (at the size the largest
/// needs) and cutting each from that copy: a photo's whole set costs little more than its largest rendition.
int shp_vips_render_all(
    const char *input, const shp_vips_target *targets, int count, double focus_x, double focus_y, int quality,
    char *error, size_t error_length);

/// The photo's average colour, upright, in sRGB (`rgb` gets three values, 0…255): a page paints it where the
/// picture will be while the picture loads.
int shp_vips_average(const char *input, double *rgb, char *error, size_t error_length);

#endif
