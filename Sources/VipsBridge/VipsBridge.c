#include "VipsBridge.h"

#include <math.h>
#include <string.h>
#include <vips/vips.h>

static int fail(char *error, size_t error_length) {
    if (error && error_length > 0) {
        const char *message = vips_error_buffer();
        strncpy(error, message && *message ? message : "libvips failed", error_length - 1);
        error[error_length - 1] = 0;
    }
    vips_error_clear();
    return -1;
}

/// Collects the names of the metadata fields a rendition must not carry.
static void *collect_metadata(VipsImage *image, const char *name, GValue *value, void *names) {
    (void)image;
    (void)value;
    if (vips_isprefix("exif-", name) || vips_isprefix("xmp-", name) || vips_isprefix("iptc-", name) ||
        vips_isprefix("icc-", name) || vips_isprefix("ipct-", name) || strcmp(name, VIPS_META_ORIENTATION) == 0 ||
        vips_isprefix("png-comment", name) || vips_isprefix("gif-comment", name))
        g_ptr_array_add((GPtrArray *)names, g_strdup(name));
    return NULL;
}

/// A copy of `image` without EXIF (GPS, camera), XMP, IPTC, comments or a colour profile: savers' own "strip"
/// does not reach every format in every libvips version.
static VipsImage *without_metadata(VipsImage *image) {
    VipsImage *copy = NULL;
    if (vips_copy(image, &copy, NULL)) return NULL;
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    vips_image_map(copy, collect_metadata, names);
    for (guint index = 0; index < names->len; index++) vips_image_remove(copy, g_ptr_array_index(names, index));
    g_ptr_array_unref(names);
    return copy;
}

int shp_vips_start(void) {
    if (VIPS_INIT("shpalta")) return -1;
    vips_cache_set_max(0);
    vips_cache_set_max_mem(0);
    vips_cache_set_max_files(0);
    vips_concurrency_set(1);
    return 0;
}

int shp_vips_inspect(const char *path, shp_vips_header *header, char *error, size_t error_length) {
    memset(header, 0, sizeof(*header));
    // By content: each loader's sniffer reads the file's first bytes; the name plays no part.
    const char *loader = vips_foreign_find_load(path);
    if (!loader) return fail(error, error_length);
    strncpy(header->loader, loader, sizeof(header->loader) - 1);
    VipsImage *image = vips_image_new_from_file(path, "access", VIPS_ACCESS_SEQUENTIAL, NULL);
    if (!image) return fail(error, error_length);
    header->width = vips_image_get_width(image);
    header->height = vips_image_get_height(image);
    int orientation = 1;
    if (vips_image_get_typeof(image, VIPS_META_ORIENTATION) &&
        vips_image_get_int(image, VIPS_META_ORIENTATION, &orientation) == 0 && orientation >= 1 && orientation <= 8)
        header->orientation = orientation;
    else
        header->orientation = 1;
    int pages = 1;
    if (vips_image_get_typeof(image, VIPS_META_N_PAGES)) vips_image_get_int(image, VIPS_META_N_PAGES, &pages);
    header->pages = pages < 1 ? 1 : pages;
    g_object_unref(image);
    return 0;
}

/// A thumbnail of `input` at most `width` × `height` (`force`: exactly), upright. A photo with its own colour profile
/// is converted to sRGB; one without is taken to be sRGB already (converting it would shift its colours).
static int thumbnail(const char *input, VipsImage **out, int width, int height, int force, int has_profile) {
    VipsSize size = force ? VIPS_SIZE_FORCE : VIPS_SIZE_DOWN;
    if (has_profile)
        return vips_thumbnail(input, out, width, "height", height, "size", size, "export_profile", "srgb",
                              "fail_on", VIPS_FAIL_ON_TRUNCATED, NULL);
    return vips_thumbnail(input, out, width, "height", height, "size", size, "fail_on", VIPS_FAIL_ON_TRUNCATED,
                          NULL);
}

/// Writes `image` (consumed) to `output`: eight bits a channel in sRGB, no metadata, JPEG (transparency flattened
/// onto white) or WebP.
static int save(VipsImage *image, const char *output, int format, int quality, char *error, size_t error_length) {
    VipsImage *srgb = NULL;
    int failed = vips_colourspace(
        image, &srgb, image->Bands >= 3 ? VIPS_INTERPRETATION_sRGB : VIPS_INTERPRETATION_B_W, NULL);
    g_object_unref(image);
    if (failed) return fail(error, error_length);
    VipsImage *ready = srgb;
    if (format == 0 && vips_image_hasalpha(ready)) {
        VipsArrayDouble *white = vips_array_double_newv(1, 255.0);
        VipsImage *flat = NULL;
        failed = vips_flatten(ready, &flat, "background", white, NULL);
        vips_area_unref(VIPS_AREA(white));
        g_object_unref(ready);
        if (failed) return fail(error, error_length);
        ready = flat;
    }
    VipsImage *eight = NULL;
    failed = vips_cast_uchar(ready, &eight, NULL);
    g_object_unref(ready);
    if (failed) return fail(error, error_length);
    VipsImage *bare = without_metadata(eight);
    g_object_unref(eight);
    if (!bare) return fail(error, error_length);
    failed = format == 1
        ? vips_webpsave(bare, output, "Q", quality, "strip", TRUE, NULL)
        : vips_jpegsave(bare, output, "Q", quality, "strip", TRUE, "optimize_coding", TRUE, "interlace", TRUE, NULL);
    g_object_unref(bare);
    return failed ? fail(error, error_length) : 0;
}

/// The scale (at most 1) at which a `source_width` × `source_height` picture covers `target`: its width for the
/// original's shape, both sides for a crop.
static double cover_scale(int source_width, int source_height, const shp_vips_target *target) {
    double scale = (double)target->width / source_width;
    if (target->height > 0) scale = fmax(scale, (double)target->height / source_height);
    return scale > 1 ? 1 : scale;
}

/// One rendition cut from `base` (upright, in memory, without metadata; not consumed).
static int cut(VipsImage *base, VipsImage **out, const shp_vips_target *target, double focus_x, double focus_y) {
    if (target->height <= 0)
        return vips_thumbnail_image(base, out, target->width, "height", VIPS_MAX_COORD, "size", VIPS_SIZE_DOWN, NULL);
    double scale = cover_scale(base->Xsize, base->Ysize, target);
    int cover_width = (int)ceil(base->Xsize * scale), cover_height = (int)ceil(base->Ysize * scale);
    VipsImage *cover = NULL;
    if (vips_thumbnail_image(base, &cover, cover_width, "height", cover_height, "size", VIPS_SIZE_FORCE, NULL))
        return -1;
    int box_width = target->width < cover->Xsize ? target->width : cover->Xsize;
    int box_height = target->height < cover->Ysize ? target->height : cover->Ysize;
    double fx = focus_x < 0 ? 0 : focus_x > 1 ? 1 : focus_x;
    double fy = focus_y < 0 ? 0 : focus_y > 1 ? 1 : focus_y;
    int left = (int)lround(fx * cover->Xsize - box_width / 2.0);
    int top = (int)lround(fy * cover->Ysize - box_height / 2.0);
    if (left > cover->Xsize - box_width) left = cover->Xsize - box_width;
    if (top > cover->Ysize - box_height) top = cover->Ysize - box_height;
    if (left < 0) left = 0;
    if (top < 0) top = 0;
    int failed = vips_extract_area(cover, out, left, top, box_width, box_height, NULL);
    g_object_unref(cover);
    return failed;
}

int shp_vips_render_all(
    const char *input, const shp_vips_target *targets, int count, double focus_x, double focus_y, int quality,
    char *error, size_t error_length) {
    // The header: the upright size and whether there is a colour profile.
    VipsImage *probe = vips_image_new_from_file(input, "access", VIPS_ACCESS_SEQUENTIAL, NULL);
    if (!probe) return fail(error, error_length);
    int source_width = vips_image_get_width(probe), source_height = vips_image_get_height(probe);
    int orientation = 1;
    if (vips_image_get_typeof(probe, VIPS_META_ORIENTATION))
        vips_image_get_int(probe, VIPS_META_ORIENTATION, &orientation);
    int has_profile = vips_image_get_typeof(probe, VIPS_META_ICC_NAME) != 0;
    g_object_unref(probe);
    if (orientation >= 5 && orientation <= 8) {
        int swap = source_width;
        source_width = source_height;
        source_height = swap;
    }
    // The photo is decoded once (shrink-on-load where the format allows), at the size the largest rendition needs,
    // and every rendition is cut from that copy in memory.
    double scale = 0;
    for (int index = 0; index < count; index++)
        scale = fmax(scale, cover_scale(source_width, source_height, &targets[index]));
    if (scale <= 0) scale = 1;
    int base_width = (int)ceil(source_width * scale), base_height = (int)ceil(source_height * scale);
    VipsImage *decoded = NULL;
    if (thumbnail(input, &decoded, base_width, base_height, 0, has_profile)) return fail(error, error_length);
    VipsImage *memory = vips_image_copy_memory(decoded);
    g_object_unref(decoded);
    if (!memory) return fail(error, error_length);
    // Upright and in sRGB now: no orientation or profile left for the cuts to apply again.
    VipsImage *base = without_metadata(memory);
    g_object_unref(memory);
    if (!base) return fail(error, error_length);
    for (int index = 0; index < count; index++) {
        VipsImage *rendition = NULL;
        if (cut(base, &rendition, &targets[index], focus_x, focus_y)) {
            g_object_unref(base);
            return fail(error, error_length);
        }
        if (save(rendition, targets[index].output, targets[index].format, quality, error, error_length)) {
            g_object_unref(base);
            return -1;
        }
    }
    g_object_unref(base);
    return 0;
}

int shp_vips_render(
    const char *input, const char *output, int width, int height, double focus_x, double focus_y, int format,
    int quality, char *error, size_t error_length) {
    shp_vips_target target = {width, height, format, output};
    return shp_vips_render_all(input, &target, 1, focus_x, focus_y, quality, error, error_length);
}

int shp_vips_average(const char *input, double *rgb, char *error, size_t error_length) {
    // A small thumbnail is enough for an average, and cheap (shrink-on-load).
    VipsImage *probe = vips_image_new_from_file(input, "access", VIPS_ACCESS_SEQUENTIAL, NULL);
    if (!probe) return fail(error, error_length);
    int has_profile = vips_image_get_typeof(probe, VIPS_META_ICC_NAME) != 0;
    g_object_unref(probe);
    VipsImage *thumb = NULL;
    if (thumbnail(input, &thumb, 64, 64, 0, has_profile)) return fail(error, error_length);
    VipsImage *converted = NULL;
    int failed = vips_colourspace(thumb, &converted, VIPS_INTERPRETATION_sRGB, NULL);
    g_object_unref(thumb);
    if (failed) return fail(error, error_length);
    // In memory: each band is read in turn, and a file is read in sequence only once.
    VipsImage *srgb = vips_image_copy_memory(converted);
    g_object_unref(converted);
    if (!srgb) return fail(error, error_length);
    for (int band = 0; band < 3; band++) {
        VipsImage *one = NULL;
        if (vips_extract_band(srgb, &one, band, NULL)) {
            g_object_unref(srgb);
            return fail(error, error_length);
        }
        double mean = 0;
        failed = vips_avg(one, &mean, NULL);
        g_object_unref(one);
        if (failed) {
            g_object_unref(srgb);
            return fail(error, error_length);
        }
        rgb[band] = mean;
    }
    g_object_unref(srgb);
    return 0;
}
