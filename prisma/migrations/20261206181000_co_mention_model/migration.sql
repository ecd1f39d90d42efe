-- Co-mention similarity as a model version (issue 20): artist vectors from crawled articles.
ALTER TYPE "ModelKind" ADD VALUE 'CO_MENTION';
