# The wangge API image: the locked environment, no development tools.
FROM python:3.11-slim-bookworm
RUN pip install --no-cache-dir uv
WORKDIR /app
COPY pyproject.toml uv.lock README.md ./
COPY core ./core
COPY geo ./geo
COPY services ./services
COPY models ./models
COPY maps ./maps
COPY api ./api
COPY demo ./demo
RUN uv sync --frozen --no-dev --no-group bench && rm -rf /root/.cache
ENV PATH="/app/.venv/bin:$PATH" PYTHONUNBUFFERED=1
EXPOSE 8000
CMD ["wangge", "serve", "--host", "0.0.0.0", "--port", "8000"]
