<?php
/**
 * Builds the WordPress test site whose WXR exports live next to this file.
 *
 * Run it through make-fixtures.sh, which creates the database and calls:
 *
 *   php make-fixtures.php install  CONTENT_DIR PERMALINK_STRUCTURE
 *   php make-fixtures.php build    CONTENT_DIR
 *   php make-fixtures.php export   CONTENT_DIR OUT.xml [all|post]
 *
 * Each step is a separate PHP process, like separate wp-cli commands.
 * This file plays the role of wp-config.php: it defines the constants and
 * loads Debian's WordPress (/usr/share/wordpress) with a throw-away
 * wp-content directory (CONTENT_DIR), so nothing of the system install changes.
 * The database connection comes from the environment (WXR_DB_NAME,
 * WXR_DB_USER, WXR_DB_PASSWORD).
 */

if ( PHP_SAPI !== 'cli' ) {
	exit( 1 );
}

$step        = $argv[1] ?? '';
$content_dir = rtrim( $argv[2] ?? '', '/' );
if ( ! in_array( $step, array( 'install', 'build', 'export' ), true ) || '' === $content_dir ) {
	fwrite( STDERR, "usage: php make-fixtures.php install|build|export CONTENT_DIR [...]\n" );
	exit( 2 );
}

// ---------------------------------------------------------------- wp-config
define( 'DB_NAME', getenv( 'WXR_DB_NAME' ) ?: 'wxr_fixtures' );
define( 'DB_USER', getenv( 'WXR_DB_USER' ) ?: 'wxr_fixtures' );
define( 'DB_PASSWORD', getenv( 'WXR_DB_PASSWORD' ) ?: 'wxr_fixtures' );
define( 'DB_HOST', 'localhost' );
define( 'DB_CHARSET', 'utf8mb4' );
define( 'DB_COLLATE', '' );
define( 'ABSPATH', getenv( 'WXR_WP_DIR' ) ?: '/usr/share/wordpress/' );
define( 'WP_CONTENT_DIR', $content_dir );
define( 'WP_LANG_DIR', ABSPATH . 'wp-content/languages' ); // Debian's wordpress-l10n.
define( 'WPLANG', 'uk' );
define( 'WP_SITEURL', 'http://gazeta.example' );
define( 'WP_HOME', 'http://gazeta.example' );
define( 'WP_POST_REVISIONS', false ); // Keep revisions out of the database.
define( 'DISABLE_WP_CRON', true );
define( 'AUTOMATIC_UPDATER_DISABLED', true );
define( 'WP_DEBUG', false );
if ( 'install' === $step ) {
	define( 'WP_INSTALLING', true );
}
$table_prefix = 'wp_';

$_SERVER['HTTP_HOST']       = 'gazeta.example';
$_SERVER['SERVER_NAME']     = 'gazeta.example';
$_SERVER['REQUEST_URI']     = '/';
$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';
$_SERVER['REQUEST_METHOD']  = 'GET';

// The custom post type lives in a must-use plugin, as it would on a real site.
@mkdir( WP_CONTENT_DIR . '/mu-plugins', 0755, true );
file_put_contents(
	WP_CONTENT_DIR . '/mu-plugins/gazeta-events.php',
	<<<'PHP'
<?php
/* Plugin Name: Gazeta events (custom post type "event") */
add_action( 'init', function () {
	register_post_type( 'event', array(
		'label'       => 'Події',
		'public'      => true,
		'has_archive' => true,
		'rewrite'     => array( 'slug' => 'podii' ),
		'supports'    => array( 'title', 'editor', 'excerpt', 'thumbnail', 'custom-fields', 'author' ),
	) );
} );
PHP
);

// No mail from this machine (pluggable function, defined before WordPress loads).
function wp_mail() {
	return true;
}

require ABSPATH . 'wp-settings.php';

require_once ABSPATH . 'wp-admin/includes/upgrade.php';
require_once ABSPATH . 'wp-admin/includes/file.php';
require_once ABSPATH . 'wp-admin/includes/media.php';
require_once ABSPATH . 'wp-admin/includes/image.php';
require_once ABSPATH . 'wp-admin/includes/post.php';
require_once ABSPATH . 'wp-admin/includes/export.php';

function fail( $message ) {
	fwrite( STDERR, "make-fixtures: $message\n" );
	exit( 1 );
}

function check( $result, $what ) {
	if ( is_wp_error( $result ) ) {
		fail( $what . ': ' . $result->get_error_message() );
	}
	if ( ! $result ) {
		fail( $what . ' failed' );
	}
	return $result;
}

// ---------------------------------------------------------------- install
if ( 'install' === $step ) {
	$result = wp_install( 'Тестова газета', 'olena', 'olena@gazeta.example', true, '', wp_slash( 'fixtures-only-password' ), 'uk' );
	check( $result['user_id'] ?? 0, 'wp_install' );
	// Set the permalinks here, so that the next process registers the taxonomies,
	// post types and their rewrite permastructs with pretty permalinks on.
	$structure = $argv[3] ?? '';
	if ( '' === $structure ) {
		fail( 'install needs a permalink structure' );
	}
	$GLOBALS['wp_rewrite']->set_permalink_structure( $structure );
	echo "installed WordPress {$GLOBALS['wp_version']}, user {$result['user_id']}\n";
	exit( 0 );
}

// ---------------------------------------------------------------- export
if ( 'export' === $step ) {
	$out     = $argv[3] ?? '';
	$content = $argv[4] ?? 'all';
	if ( '' === $out ) {
		fail( 'export needs an output file' );
	}
	wp_set_current_user( 1 ); // As when an administrator uses Tools > Export.
	ob_start();
	export_wp( array( 'content' => $content ) );
	$xml = ob_get_clean();
	file_put_contents( $out, $xml );
	echo "exported $content to $out (" . strlen( $xml ) . " bytes)\n";
	exit( 0 );
}

// ---------------------------------------------------------------- build
global $wpdb, $wp_rewrite;

wp_set_current_user( 1 ); // Administrator: has unfiltered_html, so kses does not run.

// Remove the default content of a fresh install ("Привіт, світ!", sample page,
// privacy policy draft, the sample comment) and restart the ids at 1.
foreach ( get_posts( array( 'post_type' => 'any', 'post_status' => 'any', 'numberposts' => -1, 'fields' => 'ids' ) ) as $old ) {
	wp_delete_post( $old, true );
}
foreach ( array( 'posts', 'postmeta', 'comments', 'commentmeta' ) as $table ) {
	$wpdb->query( "ALTER TABLE {$wpdb->$table} AUTO_INCREMENT = 1" );
}
update_option( 'wp_page_for_privacy_policy', 0 );

update_option( 'blogdescription', 'Новини Львова та області' );
update_option( 'timezone_string', 'Europe/Kyiv' );
update_option( 'gmt_offset', '' );
update_option( 'date_format', 'd.m.Y' );
update_option( 'time_format', 'H:i' );
update_option( 'default_pingback_flag', 0 );
$wp_rewrite->flush_rules( false );

// ------------------------------------------------------------ users
wp_update_user(
	array(
		'ID'           => 1,
		'first_name'   => 'Олена',
		'last_name'    => 'Шевченко',
		'nickname'     => 'Олена Шевченко',
		'display_name' => 'Олена Шевченко',
	)
);
$ivan = check(
	wp_insert_user(
		array(
			'user_login'   => 'ivan.petrenko',
			'user_email'   => 'ivan.petrenko@gazeta.example',
			'user_pass'    => wp_generate_password(),
			'first_name'   => 'Іван',
			'last_name'    => 'Петренко',
			'nickname'     => 'Іван Петренко',
			'display_name' => 'Іван Петренко',
			'role'         => 'author',
		)
	),
	'user ivan'
);
$mariia = check(
	wp_insert_user(
		array(
			'user_login'   => 'mariia.bondar',
			'user_email'   => 'mariia.bondar@gazeta.example',
			'user_pass'    => wp_generate_password(),
			'first_name'   => 'Марія',
			'last_name'    => 'Бондар',
			'nickname'     => 'Марія Бондар',
			'display_name' => 'Марія Бондар',
			'role'         => 'contributor',
		)
	),
	'user mariia'
);

// ------------------------------------------------------------ terms
function term( $name, $taxonomy, $args = array() ) {
	$t = check( wp_insert_term( $name, $taxonomy, $args ), "term $name" );
	return (int) $t['term_id'];
}
$cat_news    = term( 'Новини', 'category', array( 'slug' => 'novyny', 'description' => 'Головні новини дня' ) );
$cat_lviv    = term( 'Львів', 'category', array( 'slug' => 'lviv', 'parent' => $cat_news ) );
$cat_sport   = term( 'Спорт', 'category', array( 'slug' => 'sport' ) );
$cat_culture = term( 'Культура', 'category' ); // Slug left to WordPress: percent-encoded.
$tags        = array();
foreach ( array( 'вибори', 'футбол', 'театр', 'громада', 'Шевченко', 'п’ятниця', 'Євро-2024' ) as $name ) {
	$tags[ $name ] = term( $name, 'post_tag', 'вибори' === $name ? array( 'description' => 'Усе про вибори' ) : array() );
}

// ------------------------------------------------------------ helpers
/** Creates a post the way the editor does: an auto-draft first (so the guid is ?p=N), then the update. */
function new_post( $type = 'post' ) {
	return (int) get_default_post_to_edit( $type, true )->ID;
}

function save_post_data( $id, $data ) {
	$data = array_merge( array( 'ID' => $id, 'edit_date' => true ), $data );
	return check( wp_update_post( wp_slash( $data ), true ), "update post $id" );
}

/** Draws a tiny JPEG with GD and uploads it through media_handle_sideload(). */
function upload_image( $filename, $w, $h, $rgb, $parent, $date, $author, $title, $caption = '', $alt = '', $description = '' ) {
	// Flat blocks on the 16 px JPEG grid compress to almost nothing.
	$im   = imagecreatetruecolor( $w, $h );
	$bg   = imagecolorallocate( $im, $rgb[0], $rgb[1], $rgb[2] );
	$dark = imagecolorallocate( $im, (int) ( $rgb[0] * 0.6 ), (int) ( $rgb[1] * 0.6 ), (int) ( $rgb[2] * 0.6 ) );
	$ink  = imagecolorallocate( $im, 255, 255, 255 );
	$band = (int) ( $h * 0.7 ) & ~15;
	imagefilledrectangle( $im, 0, 0, $w - 1, $h - 1, $bg );
	imagefilledrectangle( $im, 0, $band, $w - 1, $h - 1, $dark );
	imagefilledrectangle( $im, ( (int) ( $w * 0.7 ) ) & ~15, 32, ( ( (int) ( $w * 0.7 ) ) & ~15 ) + 95, 127, $ink );
	$tmp = wp_tempnam( 'wxr-fixture' );
	imageinterlace( $im, true ); // Progressive: smaller for flat images.
	imagejpeg( $im, $tmp, 60 );
	imagedestroy( $im );

	$id = media_handle_sideload(
		array( 'name' => $filename, 'tmp_name' => $tmp ),
		$parent,
		null, // This argument would become the title; the description goes in post_content.
		array(
			'post_content' => $description,
			'post_date'    => $date,
			'post_author'  => $author,
			'post_title'   => $title,
			'post_excerpt' => $caption,
		)
	);
	check( $id, "upload $filename" );
	if ( '' !== $alt ) {
		update_post_meta( $id, '_wp_attachment_image_alt', $alt );
	}
	return (int) $id;
}

function url( $attachment_id, $size = 'full' ) {
	return wp_get_attachment_image_src( $attachment_id, $size )[0];
}

function meta_size( $attachment_id, $size ) {
	$src = wp_get_attachment_image_src( $attachment_id, $size );
	return array( $src[0], $src[1], $src[2] );
}

// ------------------------------------------------------------ 1: classic post (wpautop text, [caption], auto-embed)
$p_classic = new_post();
$a_photo   = upload_image( 'photo.jpg', 800, 533, array( 40, 90, 160 ), $p_classic, '2024-05-06 09:15:00', $ivan, 'Площа Ринок', 'Підпис. Фото: Іван Петренко', 'Площа Ринок у Львові', 'Святкова площа Ринок напередодні Дня міста.' );
$photo_url = url( $a_photo );
$classic   = <<<HTML
Львів готується відзначити День міста: у суботу на площі Ринок відбудеться святковий концерт, а в неділю — ярмарок народних ремесел.

За словами організаторів, програма триватиме <strong>три дні</strong>. Детальніше — на <a href="https://example.org/lviv/program">сайті організаторів</a>.
<!--more-->
[caption id="attachment_{$a_photo}" align="aligncenter" width="800"]<img class="size-full wp-image-{$a_photo}" src="{$photo_url}" alt="Площа Ринок у Львові" width="800" height="533" /> Підпис. Фото: Іван Петренко[/caption]

Перекриття руху:
– вул. Галицька, з 8:00 до 23:00;
– пл. Ринок, увесь день.

Відео з минулорічного свята:

https://www.youtube.com/watch?v=aqz-KE-bpKQ

«Ми чекаємо понад 50&nbsp;тисяч гостей», — каже організатор Андрій Мельник. Це п'ять сцен і м’яка зона відпочинку.
HTML;
save_post_data(
	$p_classic,
	array(
		'post_title'    => 'Львів готується до Дня міста',
		'post_content'  => $classic,
		'post_excerpt'  => 'Три дні концертів і ярмарок на площі Ринок.',
		'post_status'   => 'publish',
		'post_author'   => $ivan,
		'post_date'     => '2024-05-06 09:30:00',
		'post_category' => array( $cat_news, $cat_lviv ),
		'tags_input'    => array( 'громада', 'п’ятниця' ),
	)
);
set_post_thumbnail( $p_classic, $a_photo );
update_post_meta( $p_classic, '_yoast_wpseo_title', 'День міста у Львові 2024: програма свята %%sep%% %%sitename%%' );
update_post_meta( $p_classic, '_yoast_wpseo_metadesc', 'Програма Дня міста у Львові: концерти, ярмарок, перекриття руху.' );
update_post_meta( $p_classic, '_yoast_wpseo_focuskw', 'День міста Львів' );

// ------------------------------------------------------------ 3: Gutenberg post with every common block
$p_blocks  = new_post();
$a_street  = upload_image( 'vulychna-muzyka.jpg', 640, 427, array( 170, 60, 50 ), $p_blocks, '2024-05-20 11:00:00', 1, 'Вулична музика', 'Гурт на вулиці Федорова', 'Музиканти грають на вулиці', '' );
$a_gal1    = upload_image( 'halereia-1.jpg', 640, 427, array( 60, 140, 70 ), $p_blocks, '2024-05-20 11:01:00', 1, 'Галерея 1', '', 'Сцена на площі', '' );
$a_gal2    = upload_image( 'halereia-2.jpg', 640, 427, array( 200, 160, 40 ), $p_blocks, '2024-05-20 11:02:00', 1, 'Галерея 2', 'Глядачі фестивалю', '', '' );
$a_opera   = upload_image( 'Оперний-театр.jpg', 480, 320, array( 120, 80, 150 ), 0, '2024-06-03 10:00:00', $ivan, 'Оперний театр', 'Львівська опера. Фото: Іван Петренко', 'Будівля Львівської опери', '' );
$street    = url( $a_street, 'large' );
$g1        = url( $a_gal1, 'large' );
$g2        = url( $a_gal2, 'large' );
$g3        = url( $a_opera, 'large' );
$link_1    = get_permalink( $p_classic );
$tag_link  = get_term_link( $tags['театр'], 'post_tag' );
$blocks    = <<<HTML
<!-- wp:paragraph -->
<p>Минулих вихідних Львів перетворився на велику сцену: понад сорок гуртів грали просто неба. Нагадаємо, <a href="{$link_1}">місто готується до Дня міста</a>.</p>
<!-- /wp:paragraph -->

<!-- wp:heading -->
<h2>Хто виступав</h2>
<!-- /wp:heading -->

<!-- wp:list -->
<ul><!-- wp:list-item -->
<li>джаз-бенд «Пласт»;</li>
<!-- /wp:list-item -->

<!-- wp:list-item -->
<li>етно-гурт <em>«Ворони»</em>;</li>
<!-- /wp:list-item -->

<!-- wp:list-item -->
<li>студентський оркестр.</li>
<!-- /wp:list-item --></ul>
<!-- /wp:list -->

<!-- wp:heading {"level":3} -->
<h3>Порядок виступів</h3>
<!-- /wp:heading -->

<!-- wp:list {"ordered":true} -->
<ol><!-- wp:list-item -->
<li>Відкриття о 12:00</li>
<!-- /wp:list-item -->

<!-- wp:list-item -->
<li>Хедлайнер о 20:00</li>
<!-- /wp:list-item --></ol>
<!-- /wp:list -->

<!-- wp:quote -->
<blockquote class="wp-block-quote"><!-- wp:paragraph -->
<p>Музика — це найкоротший шлях до серця міста.</p>
<!-- /wp:paragraph --><cite>Марія Бондар, організаторка</cite></blockquote>
<!-- /wp:quote -->

<!-- wp:image {"id":{$a_street},"sizeSlug":"large","linkDestination":"none"} -->
<figure class="wp-block-image size-large"><img src="{$street}" alt="Музиканти грають на вулиці" class="wp-image-{$a_street}"/><figcaption class="wp-element-caption">Гурт на вулиці Федорова. Фото: Олена Шевченко</figcaption></figure>
<!-- /wp:image -->

<!-- wp:gallery {"linkTo":"none"} -->
<figure class="wp-block-gallery has-nested-images columns-default is-cropped"><!-- wp:image {"id":{$a_gal1},"sizeSlug":"large","linkDestination":"none"} -->
<figure class="wp-block-image size-large"><img src="{$g1}" alt="Сцена на площі" class="wp-image-{$a_gal1}"/></figure>
<!-- /wp:image -->

<!-- wp:image {"id":{$a_gal2},"sizeSlug":"large","linkDestination":"none"} -->
<figure class="wp-block-image size-large"><img src="{$g2}" alt="" class="wp-image-{$a_gal2}"/><figcaption class="wp-element-caption">Глядачі фестивалю</figcaption></figure>
<!-- /wp:image -->

<!-- wp:image {"id":{$a_opera},"sizeSlug":"large","linkDestination":"none"} -->
<figure class="wp-block-image size-large"><img src="{$g3}" alt="Будівля Львівської опери" class="wp-image-{$a_opera}"/></figure>
<!-- /wp:image --><figcaption class="blocks-gallery-caption wp-element-caption">Фестиваль у фотографіях</figcaption></figure>
<!-- /wp:gallery -->

<!-- wp:embed {"url":"https://www.youtube.com/watch?v=aqz-KE-bpKQ","type":"video","providerNameSlug":"youtube","responsive":true,"className":"wp-embed-aspect-16-9 wp-has-aspect-ratio"} -->
<figure class="wp-block-embed is-type-video is-provider-youtube wp-block-embed-youtube wp-embed-aspect-16-9 wp-has-aspect-ratio"><div class="wp-block-embed__wrapper">
https://www.youtube.com/watch?v=aqz-KE-bpKQ
</div><figcaption class="wp-element-caption">Відео: YouTube</figcaption></figure>
<!-- /wp:embed -->

<!-- wp:embed {"url":"https://twitter.com/gazeta_example/status/1792000000000000001","type":"rich","providerNameSlug":"twitter","responsive":true} -->
<figure class="wp-block-embed is-type-rich is-provider-twitter wp-block-embed-twitter"><div class="wp-block-embed__wrapper">
https://twitter.com/gazeta_example/status/1792000000000000001
</div></figure>
<!-- /wp:embed -->

<!-- wp:embed {"url":"https://www.facebook.com/gazeta.example/posts/1234567890123456","type":"rich","providerNameSlug":"facebook","responsive":true} -->
<figure class="wp-block-embed is-type-rich is-provider-facebook wp-block-embed-facebook"><div class="wp-block-embed__wrapper">
https://www.facebook.com/gazeta.example/posts/1234567890123456
</div></figure>
<!-- /wp:embed -->

<!-- wp:embed {"url":"https://www.instagram.com/p/C7AbCdEfGhI/","type":"rich","providerNameSlug":"instagram","responsive":true} -->
<figure class="wp-block-embed is-type-rich is-provider-instagram wp-block-embed-instagram"><div class="wp-block-embed__wrapper">
https://www.instagram.com/p/C7AbCdEfGhI/
</div></figure>
<!-- /wp:embed -->

<!-- wp:embed {"url":"https://t.me/gazeta_example/42"} -->
<figure class="wp-block-embed"><div class="wp-block-embed__wrapper">
https://t.me/gazeta_example/42
</div></figure>
<!-- /wp:embed -->

<!-- wp:separator -->
<hr class="wp-block-separator has-alpha-channel-opacity"/>
<!-- /wp:separator -->

<!-- wp:table -->
<figure class="wp-block-table"><table><thead><tr><th>День</th><th>Сцена</th><th>Гуртів</th></tr></thead><tbody><tr><td>Субота</td><td>пл. Ринок</td><td>24</td></tr><tr><td>Неділя</td><td>Підзамче</td><td>17</td></tr></tbody></table><figcaption class="wp-element-caption">Розклад фестивалю</figcaption></figure>
<!-- /wp:table -->

<!-- wp:html -->
<div class="infobox" style="border:1px solid #ccc">Квитки: <a href="https://example.org/tickets" target="_blank" rel="noopener">example.org/tickets</a></div>
<!-- /wp:html -->

<!-- wp:shortcode -->
[contact-form-7 id="15" title="Зворотний зв’язок"]
<!-- /wp:shortcode -->

<!-- wp:paragraph -->
<p>[caption id="attachment_{$a_street}" align="alignright" width="300"]Підпис без закриття шорткоду</p>
<!-- /wp:paragraph -->

<!-- wp:paragraph -->
<p>Більше матеріалів — за тегом <a href="{$tag_link}">театр</a>.</p>
<!-- /wp:paragraph -->
HTML;
save_post_data(
	$p_blocks,
	array(
		'post_title'    => 'Фестиваль вуличної музики: як це було',
		'post_name'     => 'festyval-vulychnoi-muzyky',
		'post_content'  => $blocks,
		'post_excerpt'  => 'Сорок гуртів, дві сцени і тисячі глядачів.',
		'post_status'   => 'publish',
		'post_author'   => 1,
		'post_date'     => '2024-05-20 18:45:00',
		'post_category' => array( $cat_culture ),
		'tags_input'    => array( 'театр', 'Шевченко' ),
	)
);
set_post_thumbnail( $p_blocks, $a_street );
update_post_meta( $p_blocks, 'rank_math_title', 'Фестиваль вуличної музики у Львові %sep% %sitename%' );
update_post_meta( $p_blocks, 'rank_math_description', 'Як минув фестиваль вуличної музики: фото, відео, розклад.' );
update_post_meta( $p_blocks, 'rank_math_focus_keyword', 'фестиваль,вулична музика' );

// ------------------------------------------------------------ classic [gallery] post, sticky
$p_gallery = new_post();
save_post_data(
	$p_gallery,
	array(
		'post_title'    => 'Фоторепортаж: «Карпати» — «Динамо» 1:1',
		'post_name'     => 'karpaty-dynamo-fotoreportazh',
		'post_content'  => "Матч на «Арені Львів» завершився внічию 1:1. Голи забили на 12-й та 88-й хвилинах.\n\n[gallery ids=\"{$a_gal1},{$a_gal2},{$a_opera}\"]\n\nНаступна гра — 18 травня. Усі новини <a href=\"" . get_category_link( $cat_sport ) . "\">спорту</a>.",
		'post_excerpt'  => 'Нічия на «Арені Львів».',
		'post_status'   => 'publish',
		'post_author'   => $ivan,
		'post_date'     => '2024-05-12 21:10:00',
		'post_category' => array( $cat_sport ),
		'tags_input'    => array( 'футбол', 'Євро-2024' ),
	)
);
set_post_thumbnail( $p_gallery, $a_gal2 );
set_post_format( $p_gallery, 'gallery' );
stick_post( $p_gallery );
update_post_meta( $p_gallery, '_yoast_wpseo_title', '«Карпати» — «Динамо»: фоторепортаж' );
update_post_meta( $p_gallery, '_yoast_wpseo_metadesc', 'Фото з матчу «Карпати» — «Динамо» на «Арені Львів».' );

// ------------------------------------------------------------ draft (no slug, floating date)
$p_draft = new_post();
save_post_data(
	$p_draft,
	array(
		'post_title'    => 'Виставка Пінзеля: чернетка',
		'post_content'  => "Матеріал у роботі.\n\n<blockquote><div>Цитата куратора буде тут.</div></blockquote>",
		'post_status'   => 'draft',
		'post_author'   => 1,
		'post_date'     => '2024-05-27 10:00:00',
		'post_category' => array( $cat_culture ),
	)
);

// ------------------------------------------------------------ pending, written by the contributor (kses applies)
wp_set_current_user( $mariia );
$p_pending = new_post();
save_post_data(
	$p_pending,
	array(
		'post_title'    => 'Дільниці для голосування перенесуть',
		'post_content'  => "У трьох районах міста змінять адреси виборчих дільниць.\n\nСписок адрес — у <a href=\"https://example.org/dilnytsi\" onclick=\"track()\">документі</a>.<script>alert('contributor')</script>",
		'post_status'   => 'pending',
		'post_author'   => $mariia,
		'post_date'     => '2024-05-28 08:00:00',
		'post_category' => array( $cat_news, $cat_lviv ),
		'tags_input'    => array( 'вибори' ),
	)
);
wp_set_current_user( 1 );

// ------------------------------------------------------------ future (scheduled)
$p_future = new_post();
save_post_data(
	$p_future,
	array(
		'post_title'    => 'Анонс: концерт на Підзамчі',
		'post_name'     => 'kontsert-na-pidzamchi',
		'post_content'  => "Великий концерт відбудеться влітку.\n\nВхід вільний.",
		'post_status'   => 'publish', // WordPress turns a future date into status "future".
		'post_author'   => $ivan,
		'post_date'     => '2030-06-01 18:00:00',
		'post_category' => array( $cat_culture ),
	)
);

// ------------------------------------------------------------ private
$p_private = new_post();
save_post_data(
	$p_private,
	array(
		'post_title'   => 'Внутрішня нотатка редакції',
		'post_name'    => 'notatka-redaktsii',
		'post_content' => 'Планерка щопонеділка о 10:00.',
		'post_status'  => 'private',
		'post_author'  => 1,
		'post_date'    => '2024-05-15 17:00:00',
		// No category: WordPress assigns the default one.
	)
);

// ------------------------------------------------------------ script / style / onclick (admin, unfiltered_html)
$p_unsafe = new_post();
save_post_data(
	$p_unsafe,
	array(
		'post_title'    => 'Тест: скрипти, стилі та обробники подій',
		'post_name'     => 'test-skrypty-i-styli',
		'post_content'  => <<<'HTML'
<p>Цей матеріал містить вбудований код.</p>
<script>alert(1)</script>
<style>.red { color: red; }</style>
<p class="red"><a href="#" onclick="alert('клік')">Натисніть тут</a></p>
<iframe src="https://www.youtube.com/embed/aqz-KE-bpKQ" width="560" height="315" frameborder="0" allowfullscreen></iframe>
<p><img src="x" onerror="alert(3)" /></p>
<pre>if (a[b[0]]>1) { return; }</pre>
HTML,
		'post_status'   => 'publish',
		'post_author'   => 1,
		'post_date'     => '2024-05-22 12:00:00',
		'post_category' => array( $cat_news ),
	)
);

// ------------------------------------------------------------ no author (post_author = 0)
$p_noauthor = new_post();
list( $medium_url, $medium_w, $medium_h ) = meta_size( $a_street, 'medium' );
save_post_data(
	$p_noauthor,
	array(
		'post_title'    => 'Лист читача: «Дякуємо за свято»',
		'post_name'     => 'lyst-chytacha',
		'post_content'  => "Редакція отримала лист від читача:\n\n<blockquote><div>текст</div></blockquote>\n\n<img class=\"alignleft size-medium wp-image-{$a_street}\" src=\"{$medium_url}\" alt=\"\" width=\"{$medium_w}\" height=\"{$medium_h}\" />Лист публікуємо без змін.",
		'post_status'   => 'publish',
		'post_author'   => 0,
		'post_date'     => '2024-05-25 14:20:00',
		'post_category' => array( $cat_lviv ),
		'tags_input'    => array( 'громада' ),
	)
);
update_post_meta( $p_noauthor, 'rank_math_title', 'Лист читача %sep% %sitename%' );
update_post_meta( $p_noauthor, 'rank_math_description', 'Читач дякує організаторам Дня міста.' );

// ------------------------------------------------------------ pages
$pg_about = new_post( 'page' );
save_post_data(
	$pg_about,
	array(
		'post_title'   => 'Про нас',
		'post_name'    => 'pro-nas',
		'post_content' => "«Тестова газета» — незалежне видання про життя Львова.\n\nМи працюємо з 2024 року.",
		'post_status'  => 'publish',
		'post_author'  => 1,
		'post_date'    => '2024-05-01 09:00:00',
	)
);
$pg_contacts = new_post( 'page' );
save_post_data(
	$pg_contacts,
	array(
		'post_title'   => 'Контакти',
		'post_name'    => 'kontakty',
		'post_parent'  => $pg_about,
		'menu_order'   => 1,
		'post_content' => 'Пишіть нам: <a href="mailto:redakciya@gazeta.example">redakciya@gazeta.example</a>',
		'post_status'  => 'publish',
		'post_author'  => 1,
		'post_date'    => '2024-05-01 09:05:00',
	)
);

// ------------------------------------------------------------ custom post type "event"
$ev = new_post( 'event' );
save_post_data(
	$ev,
	array(
		'post_title'   => 'Книжковий форум у Львові',
		'post_name'    => 'knyzhkovyi-forum',
		'post_content' => "<!-- wp:paragraph -->\n<p>Форум видавців пройде у вересні.</p>\n<!-- /wp:paragraph -->\n\n<!-- wp:shortcode -->\n[gallery link=\"file\" columns=\"2\" size=\"medium\" ids=\"{$a_opera},{$a_gal1}\"]\n<!-- /wp:shortcode -->",
		'post_excerpt' => 'Форум видавців у вересні.',
		'post_status'  => 'publish',
		'post_author'  => $ivan,
		'post_date'    => '2024-06-10 10:00:00',
	)
);
set_post_thumbnail( $ev, $a_opera );
update_post_meta( $ev, 'event_start', '2024-09-19 10:00' );
update_post_meta( $ev, 'event_venue', 'Палац Потоцьких' );

// ------------------------------------------------------------ password protected
$p_password = new_post();
save_post_data(
	$p_password,
	array(
		'post_title'    => 'Ексклюзив для передплатників',
		'post_name'     => 'ekskliuzyv',
		'post_content'  => 'Текст доступний лише з паролем.',
		'post_password' => 'gazeta',
		'post_status'   => 'publish',
		'post_author'   => $ivan,
		'post_date'     => '2024-06-02 07:30:00',
		'post_category' => array( $cat_news ),
	)
);

// ------------------------------------------------------------ comments on the classic post
$c1 = wp_insert_comment(
	array(
		'comment_post_ID'      => $p_classic,
		'comment_author'       => 'Андрій',
		'comment_author_email' => 'andrii@example.org',
		'comment_content'      => 'Чудова новина! Чекаємо на свято.',
		'comment_date'         => '2024-05-06 12:00:00',
		'comment_date_gmt'     => '2024-05-06 09:00:00',
		'comment_approved'     => 1,
	)
);
wp_insert_comment(
	array(
		'comment_post_ID'      => $p_classic,
		'comment_parent'       => $c1,
		'user_id'              => 1,
		'comment_author'       => 'Олена Шевченко',
		'comment_author_email' => 'olena@gazeta.example',
		'comment_content'      => 'Дякуємо, Андрію!',
		'comment_date'         => '2024-05-06 12:30:00',
		'comment_date_gmt'     => '2024-05-06 09:30:00',
		'comment_approved'     => 1,
	)
);

// WP-Cron would process and delete these flags shortly after publishing.
delete_post_meta_by_key( '_encloseme' );
delete_post_meta_by_key( '_pingme' );
// Posts are created like in the editor: an auto-draft dated "now", then saved
// with a back-dated post_date. WordPress then records the auto-draft's date in
// _wp_old_date; drop it, and pin post_modified to a fixed moment, so that a
// regeneration only changes the export's own timestamps.
delete_post_meta_by_key( '_wp_old_date' );
$wpdb->query( "UPDATE {$wpdb->posts} SET post_modified = '2024-06-15 12:00:00', post_modified_gmt = '2024-06-15 09:00:00'" );

// ------------------------------------------------------------ summary
foreach ( $wpdb->get_results( "SELECT ID, post_type, post_status, post_name, post_author, post_parent, post_date, post_date_gmt FROM {$wpdb->posts} ORDER BY ID" ) as $row ) {
	printf( "%3d %-10s %-8s author=%d parent=%d %s (gmt %s) %s\n", $row->ID, $row->post_type, $row->post_status, $row->post_author, $row->post_parent, $row->post_date, $row->post_date_gmt, urldecode( $row->post_name ) );
}
