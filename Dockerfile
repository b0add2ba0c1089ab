# tarjama serve on CPU. Build (downloads the default model into the image):
#   docker build -t tarjama .
# Run, with the glossary on the host so edits survive the container:
#   docker run --rm -p 127.0.0.1:5000:5000 -v "$PWD/glossary:/glossary" tarjama
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    HF_HOME=/models \
    TARJAMA_GLOSSARY=/glossary \
    TARJAMA_CACHE_DIR=/cache

# PyTorch's CPU build first: the default one would pull several GB of CUDA libraries.
RUN pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu

WORKDIR /src
COPY pyproject.toml README.md models.txt ./
COPY src ./src
COPY glossary ./glossary
RUN pip install '.[serve]'

RUN useradd --system --uid 10001 --home-dir /cache tarjama \
    && mkdir -p /models /cache /glossary \
    && cp glossary/*.tsv /glossary/ \
    && chown -R tarjama /models /cache /glossary
USER tarjama

# The model is part of the image, so the container never needs the network to start.
ARG MODEL=Helsinki-NLP/opus-mt-ar-en
ENV TARJAMA_MODEL=${MODEL}
RUN tarjama models download "${MODEL}"

EXPOSE 5000
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:5000/health', timeout=4)"
# docker stop sends SIGTERM: the server stops accepting, answers what it accepted, exits.
# Give it the time of one request (--timeout) with `docker stop -t 130`.
CMD ["tarjama", "serve", "--host", "0.0.0.0", "--port", "5000"]
