
-- AlterEnum
ALTER TYPE "DocumentSource" ADD VALUE 'NEWS';

-- AlterEnum
ALTER TYPE "JobKind" ADD VALUE 'CRAWL';

-- CreateTable
CREATE TABLE "artist_aliases" (
    "artist_id" INTEGER NOT NULL,
    "alias" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "artist_aliases_pkey" PRIMARY KEY ("artist_id","alias")
);

-- CreateTable
CREATE TABLE "crawl_sites" (
    "id" SERIAL NOT NULL,
    "url" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "source" "DocumentSource" NOT NULL DEFAULT 'BLOG',
    "allow_private" BOOLEAN NOT NULL DEFAULT false,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_crawled_at" TIMESTAMP(3),

    CONSTRAINT "crawl_sites_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "crawl_pages" (
    "id" SERIAL NOT NULL,
    "site_id" INTEGER NOT NULL,
    "url" TEXT NOT NULL,
    "etag" TEXT,
    "last_modified" TEXT,
    "outcome" TEXT NOT NULL,
    "reason" TEXT,
    "http_status" INTEGER,
    "fetched_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "crawl_pages_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "crawl_articles" (
    "id" SERIAL NOT NULL,
    "site_id" INTEGER NOT NULL,
    "url" TEXT NOT NULL,
    "title" TEXT,
    "source" "DocumentSource" NOT NULL,
    "language" TEXT NOT NULL,
    "published_at" TIMESTAMP(3),
    "text_hash" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "crawl_articles_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "article_mentions" (
    "article_id" INTEGER NOT NULL,
    "artist_id" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "article_mentions_pkey" PRIMARY KEY ("article_id","artist_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "crawl_sites_url_key" ON "crawl_sites"("url");

-- CreateIndex
CREATE UNIQUE INDEX "crawl_pages_url_key" ON "crawl_pages"("url");

-- CreateIndex
CREATE INDEX "crawl_pages_site_id_idx" ON "crawl_pages"("site_id");

-- CreateIndex
CREATE UNIQUE INDEX "crawl_articles_url_key" ON "crawl_articles"("url");

-- CreateIndex
CREATE UNIQUE INDEX "crawl_articles_text_hash_key" ON "crawl_articles"("text_hash");

-- CreateIndex
CREATE INDEX "crawl_articles_site_id_idx" ON "crawl_articles"("site_id");

-- CreateIndex
CREATE INDEX "article_mentions_artist_id_idx" ON "article_mentions"("artist_id");

-- AddForeignKey
ALTER TABLE "artist_aliases" ADD CONSTRAINT "artist_aliases_artist_id_fkey" FOREIGN KEY ("artist_id") REFERENCES "artists"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "crawl_pages" ADD CONSTRAINT "crawl_pages_site_id_fkey" FOREIGN KEY ("site_id") REFERENCES "crawl_sites"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "crawl_articles" ADD CONSTRAINT "crawl_articles_site_id_fkey" FOREIGN KEY ("site_id") REFERENCES "crawl_sites"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "article_mentions" ADD CONSTRAINT "article_mentions_article_id_fkey" FOREIGN KEY ("article_id") REFERENCES "crawl_articles"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "article_mentions" ADD CONSTRAINT "article_mentions_artist_id_fkey" FOREIGN KEY ("artist_id") REFERENCES "artists"("id") ON DELETE CASCADE ON UPDATE CASCADE;
